"""Google Sign-In: Google's tokeninfo endpoints, not Auth0's."""
import requests


def verify(id_token):
    r = requests.get("https://oauth2.googleapis.com/tokeninfo", params={"id_token": id_token})
    legacy = requests.get("https://www.googleapis.com/oauth2/v3/tokeninfo", params={"id_token": id_token})
    return r.json(), legacy.json()
