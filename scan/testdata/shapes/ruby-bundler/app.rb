# Bundler requires the gem: no require 'auth0' here.
client = Auth0Client.new(client_id: ENV['AUTH0_CLIENT_ID'], domain: 'acme.auth0.com')

def sign_in(client, username, password)
  client.login(username, password)
end

# Without a social token this is the client-credentials grant (/oauth/token).
api_token = client.obtain_access_token
facebook = client.obtain_access_token(params[:fb_token], 'facebook')

base = URI('https://acme.auth0.com/')
URI.join(base, 'delegation')
