import Crypto
import Foundation
import JWTKit
import Testing
import TestSupport

@testable import ServiceKit

/// Sessions' last use, marked by every service's `TokenVerifier` without a write per request.
@Suite struct SessionActivityTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    @Test func aVerifiedTokenMarksItsSessionUsed() async throws {
        let signingKey = Curve25519.Signing.PrivateKey()
        let redis = RedisClient(settings: try await TestEnvironment.redisSettings())
        let clock = TestClock(now)
        let verifier = TokenVerifier(
            keys: FixedKeys(keys: ["k1": EdDSA.PublicKey(backing: signingKey.publicKey)]), revocations: SessionRevocations(redis: redis),
            issuer: "parley-auth", audience: "parley", clock: clock.wallClock)
        let session = UUID()
        let claims = TokenClaims(
            userID: UUID(), sessionID: session, issuedAt: now, expiresAt: now.addingTimeInterval(3600), issuer: "parley-auth", audience: "parley")
        let keys = JWTKeyCollection()
        await keys.add(eddsa: EdDSA.PrivateKey(backing: signingKey), kid: JWKIdentifier(string: "k1"))
        let token = try await keys.sign(claims, kid: JWKIdentifier(string: "k1"))

        clock.advance(by: 90)
        _ = try await verifier.verify(token)
        try await eventually { try await verifier.activity.lastUsed([session])[session] == clock.now }
        let ttl = try #require(try await redis.send("TTL", SessionActivity.key(session)).int)
        #expect((3500...3510).contains(ttl), "the mark lives as long as the token")
        #expect(try await verifier.activity.lastUsed([UUID()]).isEmpty)
    }

    @Test func eachSessionIsMarkedAtMostOncePerInterval() async throws {
        let activity = SessionActivity(redis: RedisClient(settings: try await TestEnvironment.redisSettings()))
        let (first, second) = (UUID(), UUID())
        #expect(activity.isDue(first, now: now))
        #expect(!activity.isDue(first, now: now.addingTimeInterval(30)))
        #expect(activity.isDue(second, now: now.addingTimeInterval(30)), "per session")
        #expect(activity.isDue(first, now: now.addingTimeInterval(SessionActivity.interval)))
        #expect(activity.isDue(first, now: now.addingTimeInterval(-10)), "a clock set back marks again")
    }
}
