package com.example.modern

import com.auth0.android.Auth0
import com.auth0.android.authentication.AuthenticationAPIClient

class Session(account: Auth0) {
    private val client: AuthenticationAPIClient

    init {
        account.isOIDCConformant = true
        client = AuthenticationAPIClient(account)
    }

    // With an OIDC-conformant account, renewAuth posts to /oauth/token.
    fun renew(refreshToken: String) = client.renewAuth(refreshToken).start(null)
}
