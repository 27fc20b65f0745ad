import Foundation
import JWTKit

/// The claims of a Parley access token. Auth signs them; every service verifies them.
public struct TokenClaims: JWTPayload, Equatable {
    public var sub: SubjectClaim
    public var sid: String
    public var iat: IssuedAtClaim
    public var exp: ExpirationClaim
    public var iss: IssuerClaim
    public var aud: AudienceClaim

    public init(userID: UUID, sessionID: UUID, issuedAt: Date, expiresAt: Date, issuer: String, audience: String) {
        self.sub = SubjectClaim(value: userID.uuidString.lowercased())
        self.sid = sessionID.uuidString.lowercased()
        self.iat = IssuedAtClaim(value: issuedAt)
        self.exp = ExpirationClaim(value: expiresAt)
        self.iss = IssuerClaim(value: issuer)
        self.aud = AudienceClaim(value: [audience])
    }

    /// Time, issuer and audience are checked by `TokenVerifier` against its injected clock.
    public func verify(using algorithm: some JWTAlgorithm) throws {}
}
