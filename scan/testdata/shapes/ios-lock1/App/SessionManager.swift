import Lock

class SessionManager {
    func renew(refreshToken: String) {
        let client = A0Lock.sharedLock().apiClient()
        client.fetchNewIdTokenWithRefreshToken(refreshToken, parameters: nil, success: { token in
            print(token)
        }, failure: { error in
            print(error)
        })
    }
}
