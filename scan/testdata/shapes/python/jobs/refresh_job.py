from jobs.factory import init_auth0

client = init_auth0()


def run(refresh_token):
    return client.get_token(client_id="abc", target="def", api_type="app", grant_type="urn:ietf:params:oauth:grant-type:jwt-bearer", refresh_token=refresh_token)
