package com.example.raw

import java.net.URL

// Auth0 by hand, in Kotlin.
fun resourceOwnerUrl(auth0Domain: String): URL = URL("${auth0Domain}oauth/ro")
