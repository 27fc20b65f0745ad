import Crypto
import Foundation
import Synchronization

/// Tokens whose signature and claims were verified, by the SHA-256 of the token, until they
/// expire: a client sends the same token with every request, and every service on its path would
/// otherwise parse it and check its Ed25519 signature again (a tenth of the gateway's CPU under a
/// send load). Revocation is not cached: `TokenVerifier` asks Redis on every request, so a logout
/// holds at once.
final class VerifiedTokens: Sendable {
    /// Tokens remembered before the expired ones are dropped (and, if all are live, all of them).
    static let capacity = 10_000

    private let claims = Mutex<[SHA256Digest: TokenClaims]>([:])

    /// What a token is remembered by.
    static func key(of token: String) -> SHA256Digest {
        SHA256.hash(data: Data(token.utf8))
    }

    /// The claims of the token with `key` if it was verified before and has not expired by `now`.
    func claims(of key: SHA256Digest, now: Date) -> TokenClaims? {
        claims.withLock { claims in
            guard let found = claims[key] else { return nil }
            guard now < found.exp.value else {
                claims[key] = nil
                return nil
            }
            return found
        }
    }

    func remember(_ verified: TokenClaims, of key: SHA256Digest, now: Date) {
        claims.withLock { claims in
            if claims.count >= Self.capacity {
                claims = claims.filter { now < $0.value.exp.value }
                if claims.count >= Self.capacity { claims.removeAll(keepingCapacity: true) }
            }
            claims[key] = verified
        }
    }
}
