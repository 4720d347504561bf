import os

from auth0.v3.authentication import Database, Delegated, GetToken, Users

DOMAIN = os.environ["AUTH0_DOMAIN"]
CLIENT_ID = os.environ["AUTH0_CLIENT_ID"]


def firebase_token(refresh_token):
    delegated = Delegated(DOMAIN)
    return delegated.get_token(
        client_id=CLIENT_ID,
        target=CLIENT_ID,
        api_type="firebase",
        grant_type="urn:ietf:params:oauth:grant-type:jwt-bearer",
        refresh_token=refresh_token,
    )


def profile(id_token):
    return Users(DOMAIN).tokeninfo(id_token)


def password_login(username, password):
    db = Database(DOMAIN)
    return db.login(CLIENT_ID, username, password, "Username-Password-Authentication")


def refresh(refresh_token):
    # Already migrated: POST /oauth/token grant_type=refresh_token.
    return GetToken(DOMAIN).refresh_token(CLIENT_ID, None, refresh_token)


def by_hand(refresh_token):
    import requests
    url = "https://{}/delegation".format(DOMAIN)
    return requests.post(url, data={"refresh_token": refresh_token, "client_id": CLIENT_ID})
