import os

from auth0.v3.authentication import Delegated

# One client for the whole app, imported by the views.
delegated = Delegated(os.environ["AUTH0_DOMAIN"])
