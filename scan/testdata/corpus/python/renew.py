from clients import delegated


def renew_firebase_token(client_id, refresh_token):
    return delegated.get_token(
        client_id=client_id,
        target=client_id,
        api_type="firebase",
        grant_type="urn:ietf:params:oauth:grant-type:jwt-bearer",
        refresh_token=refresh_token,
    )
