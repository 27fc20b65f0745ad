import Crypto
import Foundation
import JWTKit
import ServiceKit
import Synchronization
import Testing
import TestSupport

/// Keys a test hands the verifier directly, standing in for auth's JWKS.
struct FixedKeys: PublicKeyProvider {
    let keys: [String: EdDSA.PublicKey]
    func publicKey(kid: String) async throws -> EdDSA.PublicKey? { keys[kid] }
}

@Suite struct TokenVerifierTests {
    let signingKey = Curve25519.Signing.PrivateKey()
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    func verifier(revocations: SessionRevocations, at date: Date? = nil, extraKeys: [String: EdDSA.PublicKey] = [:]) -> TokenVerifier {
        let keys = FixedKeys(keys: ["k1": EdDSA.PublicKey(backing: signingKey.publicKey)].merging(extraKeys) { $1 })
        let clock = WallClock { [now] in date ?? now }
        return TokenVerifier(keys: keys, revocations: revocations, issuer: "parley-auth", audience: "parley", clock: clock)
    }

    func revocations() async throws -> SessionRevocations {
        SessionRevocations(redis: RedisClient(settings: try await TestEnvironment.redisSettings()))
    }

    func sign(
        with key: Curve25519.Signing.PrivateKey? = nil, kid: String = "k1", session: UUID = UUID(),
        issuer: String = "parley-auth", audience: String = "parley", lifetime: TimeInterval = 3600
    ) async throws -> String {
        let claims = TokenClaims(
            userID: UUID(), sessionID: session, issuedAt: now, expiresAt: now.addingTimeInterval(lifetime),
            issuer: issuer, audience: audience)
        let keys = JWTKeyCollection()
        await keys.add(eddsa: EdDSA.PrivateKey(backing: key ?? signingKey), kid: JWKIdentifier(string: kid))
        return try await keys.sign(claims, kid: JWKIdentifier(string: kid))
    }

    func expectRejected(_ token: String, by verifier: TokenVerifier, sourceLocation: SourceLocation = #_sourceLocation) async {
        await #expect(sourceLocation: sourceLocation) {
            _ = try await verifier.verify(token)
        } throws: { error in
            (error as? AppError)?.status == .unauthorized
        }
    }

    @Test func aValidTokenYieldsItsIdentity() async throws {
        let session = UUID()
        let identity = try await verifier(revocations: try await revocations()).verify(try await sign(session: session))
        #expect(identity.sessionID == session)
        #expect(identity.expiresAt == now.addingTimeInterval(3600))
    }

    @Test func theAlgorithmNoneIsRejected() async throws {
        let vectors = try SharedVectors.load("jwt/rfc-jose-examples.json")
        let cases = try #require(vectors["cases"] as? [[String: Any]])
        let none = try #require(cases.first { $0["id"] as? String == "rfc7515-A.5-none" }?["compact"] as? String)
        await expectRejected(none, by: verifier(revocations: try await revocations()))
        // The same with our own claims and a kid we know: still no signature, still rejected.
        let ours = try await sign().split(separator: ".")
        let header = Data(#"{"alg":"none","kid":"k1"}"#.utf8).base64URLEncodedString()
        await expectRejected("\(header).\(ours[1]).", by: verifier(revocations: try await revocations()))
    }

    @Test func otherRFCAlgorithmsAreRejected() async throws {
        let vectors = try SharedVectors.load("jwt/rfc-jose-examples.json")
        let cases = try #require(vectors["cases"] as? [[String: Any]])
        let verifier = verifier(revocations: try await revocations())
        for id in ["rfc7515-A.1-HS256", "rfc7515-A.2-RS256", "rfc7515-A.3-ES256"] {
            let token = try #require(cases.first { $0["id"] as? String == id }?["compact"] as? String)
            await expectRejected(token, by: verifier)
        }
    }

    @Test func theRFC8037Ed25519SignatureChecksButIsNotAToken() async throws {
        let vectors = try SharedVectors.load("jwt/rfc-jose-examples.json")
        let cases = try #require(vectors["cases"] as? [[String: Any]])
        let example = try #require(cases.first { $0["id"] as? String == "rfc8037-A.4-EdDSA" })
        let jwk = try #require(example["jwk_public"] as? [String: Any])
        let x = try #require(jwk["x"] as? String)
        let publicKey = try Curve25519.Signing.PublicKey(rawRepresentation: try #require(Data(base64URLEncoded: x)))
        let signingInput = try #require(example["signing_input"] as? String)
        let signatureText = try #require(example["signature_b64url"] as? String)
        let signature = try #require(Data(base64URLEncoded: signatureText))
        #expect(publicKey.isValidSignature(signature, for: Data(signingInput.utf8)), "Ed25519 as the RFC computes it")

        let compact = try #require(example["compact"] as? String)
        let withKey = verifier(revocations: try await revocations(), extraKeys: ["rfc": EdDSA.PublicKey(backing: publicKey)])
        await expectRejected(compact, by: withKey)
    }

    @Test func aTokenSignedByAnotherKeyIsRejected() async throws {
        let forged = try await sign(with: Curve25519.Signing.PrivateKey())
        await expectRejected(forged, by: verifier(revocations: try await revocations()))
        let unknownKid = try await sign(kid: "k2")
        await expectRejected(unknownKid, by: verifier(revocations: try await revocations()))
    }

    @Test func aTamperedPayloadIsRejected() async throws {
        let parts = try await sign().split(separator: ".").map(String.init)
        let payloadData = try #require(Data(base64URLEncoded: parts[1]))
        var payload = try #require(try JSONSerialization.jsonObject(with: payloadData) as? [String: Any])
        payload["sub"] = UUID().uuidString.lowercased()
        let tampered = try JSONSerialization.data(withJSONObject: payload).base64URLEncodedString()
        await expectRejected("\(parts[0]).\(tampered).\(parts[2])", by: verifier(revocations: try await revocations()))
    }

    @Test func expiredTokensAreRejected() async throws {
        let token = try await sign(lifetime: 60)
        let revocations = try await revocations()
        _ = try await verifier(revocations: revocations, at: now.addingTimeInterval(59)).verify(token)
        await expectRejected(token, by: verifier(revocations: revocations, at: now.addingTimeInterval(60)))
    }

    @Test func wrongAudienceOrIssuerIsRejected() async throws {
        let verifier = verifier(revocations: try await revocations())
        await expectRejected(try await sign(audience: "someone-else"), by: verifier)
        await expectRejected(try await sign(issuer: "evil"), by: verifier)
    }

    @Test func aRevokedSessionIsRejectedEverywhere() async throws {
        let session = UUID()
        let token = try await sign(session: session)
        let revocations = try await revocations()
        _ = try await verifier(revocations: revocations).verify(token)
        try await revocations.revoke(sessionID: session, until: now.addingTimeInterval(3600), now: now)
        // A second verifier with its own Redis connection: what another service would see.
        await expectRejected(token, by: verifier(revocations: try await self.revocations()))
    }

    /// The same verifier, so the second check finds the token among those it verified before.
    @Test func aRememberedTokenIsRejectedOnceItsSessionIsRevoked() async throws {
        let session = UUID()
        let token = try await sign(session: session)
        let revocations = try await revocations()
        let verifier = verifier(revocations: revocations)
        _ = try await verifier.verify(token)
        _ = try await verifier.verify(token)
        try await revocations.revoke(sessionID: session, until: now.addingTimeInterval(3600), now: now)
        await expectRejected(token, by: verifier)
    }

    @Test func aRememberedTokenExpiresOnTime() async throws {
        let token = try await sign(lifetime: 60)
        let time = Mutex(now)
        let keys = FixedKeys(keys: ["k1": EdDSA.PublicKey(backing: signingKey.publicKey)])
        let verifier = TokenVerifier(
            keys: keys, revocations: try await revocations(), issuer: "parley-auth", audience: "parley", clock: WallClock { time.withLock { $0 } })
        _ = try await verifier.verify(token)
        time.withLock { $0 = now.addingTimeInterval(59) }
        _ = try await verifier.verify(token)
        time.withLock { $0 = now.addingTimeInterval(60) }
        await expectRejected(token, by: verifier)
    }
}
