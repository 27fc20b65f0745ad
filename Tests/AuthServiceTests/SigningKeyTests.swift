import Foundation
import Testing
import ServiceKit
import TestSupport

@testable import AuthService

@Suite struct SigningKeyTests {
    @Test func jwksPublishesTheSigningKeyAndTokensCarryItsKid() async throws {
        try await withAuthService { client in
            let jwks = try await client.call(.get, "/.well-known/jwks.json")
            #expect(jwks.status == .ok)
            let keys = try #require(jwks["keys"] as? [[String: Any]])
            #expect(keys.count == 1)
            let key = try #require(keys.first)
            #expect(key["kty"] as? String == "OKP" && key["crv"] as? String == "Ed25519" && key["alg"] as? String == "EdDSA")
            #expect(key["d"] == nil, "never the private part")
            let token = try await client.register().token
            let header = try #require(Data(base64URLEncoded: token.split(separator: ".")[0]))
            let fields = try #require(try JSONSerialization.jsonObject(with: header) as? [String: Any])
            #expect(fields["kid"] as? String == key["kid"] as? String)
            #expect(fields["alg"] as? String == "EdDSA")
        }
    }

    @Test func aDueKeyIsRotatedAndOldTokensStayValid() async throws {
        let clock = TestClock()
        let overrides = try await TestEnvironment.serviceOverrides(["KEY_ROTATION_DAYS": "1", "TOKEN_LIFETIME_SECONDS": "172800"])
        let settings = AuthSettings(reader: TestEnvironment.reader(overrides))
        let first = try await buildApplication(settings: settings, clock: clock.wallClock)
        let oldToken = try await first.test(.live) { client in try await client.register().token }

        clock.advance(by: 86400 + 60)
        let second = try await buildApplication(settings: settings, clock: clock.wallClock)
        try await second.test(.live) { client in
            let keys = try #require((try await client.call(.get, "/.well-known/jwks.json"))["keys"] as? [[String: Any]])
            #expect(keys.count == 2, "the new key signs, the old one still verifies")
            let newToken = try await client.register().token
            #expect(newToken.split(separator: ".")[0] != oldToken.split(separator: ".")[0])
            #expect(try await client.call(.get, "/auth/me", token: newToken).status == .ok)
            #expect(try await client.call(.get, "/auth/me", token: oldToken).status == .ok)
        }
    }
}
