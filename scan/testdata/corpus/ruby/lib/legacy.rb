require 'auth0'

class Legacy
  def initialize
    @client = Auth0Client.new(
      client_id: ENV['AUTH0_CLIENT_ID'],
      domain: ENV['AUTH0_DOMAIN']
    )
  end

  def renew(refresh_token, target)
    @client.refresh_delegation(refresh_token, target)
  end

  def profile(id_token)
    @client.token_info id_token
  end

  def modern(refresh_token)
    # ruby-auth0 5: POST /oauth/token
    @client.exchange_refresh_token(refresh_token)
  end
end
