import Crypto
import Foundation

/// Short-lived TURN credentials in coturn's shared-secret REST scheme (`use-auth-secret`): the
/// username is the expiry (Unix seconds) and the user's id, the password the base64 of
/// HMAC-SHA1 of the username keyed with the secret the TURN server shares. The server checks
/// the HMAC and the expiry; nothing is stored.
struct TurnCredentials: Encodable, Sendable, Equatable {
    let username: String
    let credential: String
    let ttlSeconds: Int
    let uris: [String]

    init(user: UUID, secret: String, uris: [String], ttlSeconds: Int, now: Date) {
        let expiry = Int(now.timeIntervalSince1970) + ttlSeconds
        username = "\(expiry):\(user.uuidString.lowercased())"
        let mac = HMAC<Insecure.SHA1>.authenticationCode(for: Data(username.utf8), using: SymmetricKey(data: Data(secret.utf8)))
        credential = Data(mac).base64EncodedString()
        self.ttlSeconds = ttlSeconds
        self.uris = uris
    }
}
