from auth0.v3.authentication import Delegated

DOMAIN = "acme.auth0.com"


def init_auth0():
    return Delegated(DOMAIN)
