import Foundation
import JWTKit

/// Verifies a Parley access token: EdDSA only, a known `kid`, a valid signature, our issuer and
/// audience, not expired by the injected clock, and its session not revoked. Every failure is a
/// 401 `unauthorized` that does not say which check failed. A verified session is marked used
/// (`activity`, at most once a minute per session). A token's signature and claims are checked
/// once and remembered until it expires (`VerifiedTokens`); its session, every time.
public struct TokenVerifier: Sendable {
    let keys: any PublicKeyProvider
    let revocations: SessionRevocations
    let issuer: String
    let audience: String
    let clock: WallClock
    public let activity: SessionActivity
    private let verified = VerifiedTokens()

    public init(keys: any PublicKeyProvider, revocations: SessionRevocations, issuer: String, audience: String, clock: WallClock) {
        self.keys = keys
        self.revocations = revocations
        self.issuer = issuer
        self.audience = audience
        self.clock = clock
        self.activity = SessionActivity(redis: revocations.redis)
    }

    struct Header: Decodable {
        let alg: String
        let kid: String?
    }

    public func verify(_ token: String) async throws -> Identity {
        let claims = try await verifiedClaims(token)
        guard let userID = UUID(uuidString: claims.sub.value), let sessionID = UUID(uuidString: claims.sid) else {
            throw AppError.unauthorized("invalid token", code: "unauthorized")
        }
        let revoked: Bool
        do {
            revoked = try await revocations.isRevoked(sessionID: sessionID)
        } catch {
            // Fail closed: without the revocation list a logged-out token could pass.
            throw AppError.serviceUnavailable("session store", internalDetail: "\(error)")
        }
        guard !revoked else { throw Self.invalid("session revoked") }
        let identity = Identity(userID: userID, sessionID: sessionID, expiresAt: claims.exp.value)
        activity.markUsed(identity, now: clock.now())
        return identity
    }

    /// Signature and claims, without the revocation check.
    func verifiedClaims(_ token: String) async throws -> TokenClaims {
        let now = clock.now()
        let key = VerifiedTokens.key(of: token)
        if let claims = verified.claims(of: key, now: now) { return claims }
        let claims = try await checkedClaims(token, now: now)
        verified.remember(claims, of: key, now: now)
        return claims
    }

    private func checkedClaims(_ token: String, now: Date) async throws -> TokenClaims {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerData = Data(base64URLEncoded: parts[0]),
            let header = try? JSONDecoder().decode(Header.self, from: headerData)
        else { throw Self.invalid("malformed token") }
        // The algorithm is ours to decide, never the token's: this stops `none` and key confusion.
        guard header.alg == "EdDSA", let kid = header.kid, !kid.isEmpty else { throw Self.invalid("algorithm or kid") }
        guard let key = try await keys.publicKey(kid: kid) else { throw Self.invalid("unknown kid") }

        let collection = JWTKeyCollection()
        await collection.add(eddsa: key, kid: JWKIdentifier(string: kid))
        let claims: TokenClaims
        do {
            claims = try await collection.verify(token, as: TokenClaims.self)
        } catch {
            throw Self.invalid("signature or claims: \(error)")
        }
        guard claims.iss.value == issuer, claims.aud.value.contains(audience) else { throw Self.invalid("issuer or audience") }
        guard now < claims.exp.value else { throw Self.invalid("expired") }
        // A token from the future is a clock problem or a forgery; allow a minute of skew.
        guard claims.iat.value.timeIntervalSince(now) < 60 else { throw Self.invalid("issued in the future") }
        return claims
    }

    static func invalid(_ detail: String) -> AppError {
        AppError(.unauthorized, code: "unauthorized", message: "invalid or expired token", internalDetail: detail)
    }
}
