package com.example.lock1;

import com.auth0.api.authentication.AuthenticationAPIClient;
import com.auth0.lock.Lock;
import com.auth0.lock.LockContext;

public class ProfileActivity {
    void refresh(String refreshToken) {
        Lock lock = LockContext.getLock(this);
        lock.getAuthenticationAPIClient().delegationWithRefreshToken(refreshToken).start(null);
    }

    void profile(AuthenticationAPIClient client, String idToken) {
        client.tokenInfo(idToken).start(null);
        client.login("user@example.com", "secret").start(null);
    }
}
