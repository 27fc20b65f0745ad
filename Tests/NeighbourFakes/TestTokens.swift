import Crypto
import Foundation
import JWTKit
import ServiceKit

/// Auth's token signing, for a service tested without auth: one Ed25519 key, given to the
/// service as its `PublicKeyProvider` (where auth's JWKS would be), and tokens signed with it for
/// any user, with the claims auth puts in them.
public struct TestTokens: PublicKeyProvider {
    static let kid = "test-signing-key"
    let key = EdDSA.PrivateKey(backing: Curve25519.Signing.PrivateKey())
    let lifetime: TimeInterval

    public init(lifetime: TimeInterval = 24 * 3600) {
        self.lifetime = lifetime
    }

    public func publicKey(kid: String) async throws -> EdDSA.PublicKey? {
        kid == Self.kid ? key.publicKey : nil
    }

    /// A token for `userID` in a new session (or `sessionID`), issued at `now`.
    public func token(for userID: UUID, session sessionID: UUID = UUID(), now: Date) async throws -> String {
        let signers = JWTKeyCollection()
        await signers.add(eddsa: key, kid: JWKIdentifier(string: Self.kid))
        var header = JWTHeader()
        header.alg = "EdDSA"
        header.typ = "JWT"
        let claims = TokenClaims(
            userID: userID, sessionID: sessionID, issuedAt: now, expiresAt: now.addingTimeInterval(lifetime),
            issuer: "parley-auth", audience: "parley")
        return try await signers.sign(claims, kid: JWKIdentifier(string: Self.kid), header: header)
    }
}

/// The claims of a Parley access token, read without verifying it.
public enum TokenPayload {
    public static func claims(of token: String) -> [String: Any] {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return [:] }
        guard let data = Data(base64URLEncoded: parts[1]) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }
}
