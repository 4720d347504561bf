import Auth0

// Swift 2 drops the first argument's label: tokenInfo(idToken).
func profile(idToken: String) {
    Auth0
        .authentication()
        .tokenInfo(idToken)
        .start { result in print(result) }
}
