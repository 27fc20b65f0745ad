import Foundation
import HummingbirdTesting
import PostgresNIO
import ServiceKit
import ServiceLifecycle
import Testing
import TestSupport

@testable import AuthService

/// Issue 15, build item 7: signing keys and TOTP secrets are sealed with AES-GCM under keys from
/// the environment, rows before that are sealed at startup, and keys rotate.
@Suite struct SecretsAtRestTests {
    static func key(_ id: String) -> String {
        id + ":" + Data((0..<32).map { _ in UInt8.random(in: 0...255) }).base64EncodedString()
    }

    /// The stored TOTP secret and signing keys, as Postgres holds them.
    static func stored(_ overrides: [String: String], userID: String) async throws -> (totp: String?, keys: [String]) {
        try await withAuthDatabase(overrides) { db in
            let totp = try await db.query("SELECT totp_secret FROM users WHERE id = \(UUID(uuidString: userID)!)", logger: testLogger).all(String?.self).first ?? nil
            let keys = try await db.query("SELECT private_key FROM signing_keys", logger: testLogger).all(String.self)
            return (totp, keys)
        }
    }

    /// Registers, turns 2FA on, and returns the user and the raw TOTP secret (as the app holds it).
    static func userWithTwoFactor(_ client: any TestClientProtocol, clock: TestClock) async throws -> (user: (token: String, id: String, username: String), secret: String) {
        let user = try await client.register()
        return (user, try await TwoFactorTests.enable(for: user, client: client, clock: clock))
    }

    static func signIn(_ client: any TestClientProtocol, _ username: String, secret: String, clock: TestClock) async throws -> APIReply {
        clock.advance(by: 30)
        return try await client.call(.post, "/auth/login", json: [
            "username": username, "password": "correct horse battery", "totp_code": try TwoFactorTests.code(secret: secret, at: clock.now),
        ])
    }

    @Test func storedSecretsAreSealedNotPlaintext() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let overrides = try await TestEnvironment.serviceOverrides()
        try await withServicesGate {
            let (user, secret) = try await runAuthService(overrides, clock: clock) { client in try await Self.userWithTwoFactor(client, clock: clock) }
            let stored = try await Self.stored(overrides, userID: user.id)
            let raw = try #require(Base32Decoding.decode(secret))
            let totp = try #require(stored.totp)
            #expect(totp.hasPrefix("sealed:test:"))
            #expect(!totp.contains(raw))
            #expect(stored.keys.count == 1 && stored.keys.allSatisfy { $0.hasPrefix("sealed:test:") })
        }
    }

    @Test func aRestartWithARotatedKeyListStillSignsInAndVerifiesTOTP() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let (k1, k2) = (Self.key("k1"), Self.key("k2"))
        let base = try await TestEnvironment.serviceOverrides()
        try await withServicesGate {
            let (user, secret) = try await runAuthService(base.merging(["AUTH_ENCRYPTION_KEYS": k1]) { $1 }, clock: clock) { client in
                try await Self.userWithTwoFactor(client, clock: clock)
            }
            #expect(try await Self.stored(base, userID: user.id).totp?.hasPrefix("sealed:k1:") == true)

            // The new key first, the old one still there: everything is sealed anew under k2.
            try await runAuthService(base.merging(["AUTH_ENCRYPTION_KEYS": "\(k2),\(k1)"]) { $1 }, clock: clock) { client in
                let me = try await client.call(.get, "/auth/me", token: user.token)
                #expect(me.status == .ok, "the signing key still verifies")
                #expect(try await Self.signIn(client, user.username, secret: secret, clock: clock).status == .ok)
            }
            let resealed = try await Self.stored(base, userID: user.id)
            #expect(resealed.totp?.hasPrefix("sealed:k2:") == true)
            #expect(resealed.keys.allSatisfy { $0.hasPrefix("sealed:k2:") })

            // The old key gone.
            try await runAuthService(base.merging(["AUTH_ENCRYPTION_KEYS": k2]) { $1 }, clock: clock) { client in
                let me = try await client.call(.get, "/auth/me", token: user.token)
                #expect(me.status == .ok)
                #expect(try await Self.signIn(client, user.username, secret: secret, clock: clock).status == .ok)
            }
        }
    }

    @Test func plaintextSecretsFromBeforeSealingAreSealedAtStartup() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        let overrides = try await TestEnvironment.serviceOverrides()
        try await withServicesGate {
            let (user, secret) = try await runAuthService(overrides, clock: clock) { client in try await Self.userWithTwoFactor(client, clock: clock) }
            // As a deployment from before sealing left them: plaintext.
            let sealer = try SecretSealer(configured: TestEnvironment.authEncryptionKeys)
            try await withAuthDatabase(overrides) { db in
                let userID = UUID(uuidString: user.id)!
                let totp = try #require(try await db.query("SELECT totp_secret FROM users WHERE id = \(userID)", logger: testLogger).all(String.self).first)
                let plainTOTP = try sealer.open(totp, for: UserStore.totpSecretRow(userID))
                try await db.query("UPDATE users SET totp_secret = \(plainTOTP) WHERE id = \(userID)", logger: testLogger)
                for try await (kid, stored) in try await db.query("SELECT kid, private_key FROM signing_keys", logger: testLogger).decode((String, String).self) {
                    let plainKey = try sealer.open(stored, for: SigningKeyStore.row(kid))
                    try await db.query("UPDATE signing_keys SET private_key = \(plainKey) WHERE kid = \(kid)", logger: testLogger)
                }
            }
            #expect(try await Self.stored(overrides, userID: user.id).totp?.hasPrefix("sealed:") == false)

            try await runAuthService(overrides, clock: clock) { client in
                let me = try await client.call(.get, "/auth/me", token: user.token)
                #expect(me.status == .ok, "the signing key opens")
                #expect(try await Self.signIn(client, user.username, secret: secret, clock: clock).status == .ok)
            }
            let sealed = try await Self.stored(overrides, userID: user.id)
            #expect(sealed.totp?.hasPrefix("sealed:test:") == true)
            #expect(sealed.keys.allSatisfy { $0.hasPrefix("sealed:test:") })
        }
    }

    @Test func aKeyListThatCannotOpenTheStoredSecretsStopsStartup() async throws {
        let overrides = try await TestEnvironment.serviceOverrides()
        try await withServicesGate {
            _ = try await runAuthService(overrides) { client in try await client.register() }
            // The same kid with other bytes, and another kid: neither opens what `test` sealed.
            for keys in ["test:" + Data(repeating: 9, count: 32).base64EncodedString(), Self.key("k3")] {
                let app = try await buildApplication(settings: AuthSettings(reader: TestEnvironment.reader(overrides.merging(["AUTH_ENCRYPTION_KEYS": keys]) { $1 })))
                // Run as the executable runs it: startup fails instead of serving.
                await #expect(throws: StartupError.self) {
                    try await ServiceGroup(configuration: .init(services: [app], logger: testLogger)).run()
                }
            }
        }
    }

    @Test(arguments: ["", "k1", "k1:bm90IDMyIGJ5dGVz", "bad kid!:" + Data(count: 32).base64EncodedString()])
    func aProductionStartNeedsAWellFormedKey(keys: String) async throws {
        let overrides = try await TestEnvironment.serviceOverrides(["AUTH_ENCRYPTION_KEYS": keys])
        await #expect(throws: StartupError.self) {
            _ = try await buildApplication(settings: AuthSettings(reader: TestEnvironment.reader(overrides)))
        }
    }

    @Test func developmentModeFallsBackToTheDocumentedKey() throws {
        let settings = AuthSettings(reader: TestEnvironment.reader(["DEVELOPMENT_MODE": "true", "AUTH_ENCRYPTION_KEYS": ""]))
        #expect(try settings.secretSealer().currentPrefix == "sealed:development:")
        // The README's base64 of the development key, for moving a development database to real keys.
        #expect(try SecretSealer(configured: "development:cGFybGV5IGRldmVsb3BtZW50IGtleSwgcHVibGljISE=").open(
            try SecretSealer.development.seal("secret", for: "row"), for: "row") == "secret")
    }

    @Test func aSealedValueOpensOnlyInItsOwnRow() throws {
        let sealer = try SecretSealer(configured: Self.key("k1"))
        let first = UserStore.totpSecretRow(UUID()), second = UserStore.totpSecretRow(UUID())
        let sealed = try sealer.seal("JBSWY3DPEHPK3PXP", for: first)
        #expect(try sealer.open(sealed, for: first) == "JBSWY3DPEHPK3PXP")
        #expect(throws: SecretSealer.Failure.self) { try sealer.open(sealed, for: second) }
        #expect(throws: SecretSealer.Failure.self) { try sealer.open(sealed, for: SigningKeyStore.row("some-kid")) }
        #expect(try sealer.seal("JBSWY3DPEHPK3PXP", for: first) != sealed, "a fresh nonce each time")
    }
}
