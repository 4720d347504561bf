import Foundation
import Auth0

final class Auth {
    let authentication = Auth0.authentication()

    func firebase(refreshToken: String) {
        Auth0
            .authentication()
            .delegation(withParameters: ["refresh_token": refreshToken, "api_type": "firebase", "scope": "openid"])
            .start { _ in }
    }

    func profile(idToken: String) {
        authentication.tokenInfo(token: idToken).start { _ in }
    }

    func legacyLogin(email: String, password: String) {
        authentication
            .login(usernameOrEmail: email, password: password, connection: "Username-Password-Authentication")
            .start { _ in }
    }

    func realmLogin(email: String, password: String) {
        // The password-realm grant: already migrated.
        authentication
            .login(usernameOrEmail: email, password: password, realm: "Username-Password-Authentication")
            .start { _ in }
        authentication.userInfo(withAccessToken: "token").start { _ in }
    }
}
