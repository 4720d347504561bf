require 'auth0'

# ruby-auth0 4.17 (ruby/Gemfile): login posts /oauth/token.
client = Auth0Client.new(client_id: ENV['AUTH0_CLIENT_ID'], domain: 'acme.auth0.com')
client.login('user@example.com', 'secret')
