package com.example.legacy;

import com.auth0.android.Auth0;
import com.auth0.android.authentication.AuthenticationAPIClient;
import com.auth0.android.result.Delegation;

public class LegacyAuth {
    private final AuthenticationAPIClient client;

    public LegacyAuth(Auth0 account) {
        client = new AuthenticationAPIClient(account);
    }

    public void firebase(String refreshToken) {
        client.delegationWithRefreshToken(refreshToken)
                .start(null);
    }

    public void profile(String idToken) {
        client.tokenInfo(idToken).start(null);
    }

    public void renew(String refreshToken) {
        client.renewAuth(refreshToken).start(null);
    }

    public void login(String email, String password) {
        client.login(email, password, "Username-Password-Authentication").start(null);
        client.login(email, password).start(null); // password grant on /oauth/token
    }
}
