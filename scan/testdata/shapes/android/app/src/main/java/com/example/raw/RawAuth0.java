package com.example.raw;

import okhttp3.HttpUrl;

/** Calls the Auth0 Authentication API by hand. */
public class RawAuth0 {
    private static final String DELEGATION_PATH = "delegation";
    private final HttpUrl auth0Url;

    public RawAuth0(String domain) {
        this.auth0Url = HttpUrl.parse("https://" + domain);
    }

    public HttpUrl delegation() {
        return auth0Url.newBuilder().addPathSegment(DELEGATION_PATH).build();
    }

    public HttpUrl tokenInfo() {
        return auth0Url.newBuilder().addPathSegment("tokeninfo").build();
    }
}
