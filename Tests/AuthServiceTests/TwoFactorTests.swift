import Foundation
import HTTPTypes
import HummingbirdOTP
import HummingbirdTesting
import Testing
import TestSupport

@testable import AuthService

@Suite struct TwoFactorTests {
    /// The code an authenticator app shows for the base32 `secret` at `date`.
    static func code(secret base32: String, at date: Date) throws -> String {
        let secret = try #require(Base32Decoding.decode(base32))
        return String(format: "%06d", TOTP(secret: secret).compute(date: date))
    }

    /// Sets 2FA up and enables it for `user` at the clock's time; returns the app's base32 secret.
    static func enable(for user: (token: String, id: String, username: String), client: any TestClientProtocol, clock: TestClock) async throws -> String {
        let secret = try #require((try await client.call(.post, "/auth/2fa/setup", token: user.token))["secret"] as? String)
        let enabled = try await client.call(
            .post, "/auth/2fa/enable", json: ["code": try code(secret: secret, at: clock.now), "password": "correct horse battery"], token: user.token)
        guard enabled.status == .ok else { throw TestFailure("enabling 2FA failed: \(enabled.status)") }
        return secret
    }

    @Test func fullCycleWithReplayAndRecoveryCodes() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await withAuthService(clock: clock) { client in
            let user = try await client.register()
            let setup = try await client.call(.post, "/auth/2fa/setup", token: user.token)
            #expect(setup.status == .ok)
            let secret = try #require(setup["secret"] as? String)
            let uri = try #require(setup["otpauth_uri"] as? String)
            #expect(uri.hasPrefix("otpauth://totp/") && uri.contains("secret=\(secret)"))

            let wrong = try await client.call(.post, "/auth/2fa/enable", json: ["code": "000000", "password": "correct horse battery"], token: user.token)
            #expect(wrong.status == .badRequest)
            #expect(wrong.errorCode == "invalid_totp")

            let enabled = try await client.call(
                .post, "/auth/2fa/enable", json: ["code": try Self.code(secret: secret, at: clock.now), "password": "correct horse battery"], token: user.token)
            #expect(enabled.status == .ok)
            let recoveryCodes = try #require(enabled["recovery_codes"] as? [String])
            #expect(recoveryCodes.count == 10 && Set(recoveryCodes).count == 10)
            #expect((try await client.call(.get, "/auth/me", token: user.token))["totp_enabled"] as? Bool == true)

            let login: [String: Any] = ["username": user.username, "password": "correct horse battery"]
            let noCode = try await client.call(.post, "/auth/login", json: login)
            #expect(noCode.status == .unauthorized)
            #expect(noCode.errorCode == "totp_required")

            clock.advance(by: 30)
            let code = try Self.code(secret: secret, at: clock.now)
            let withCode = try await client.call(.post, "/auth/login", json: login.merging(["totp_code": code]) { $1 })
            #expect(withCode.status == .ok)
            let replay = try await client.call(.post, "/auth/login", json: login.merging(["totp_code": code]) { $1 })
            #expect(replay.status == .unauthorized)
            #expect(replay.errorCode == "invalid_totp")

            let recovery = login.merging(["totp_code": recoveryCodes[3].uppercased()]) { $1 }
            #expect(try await client.call(.post, "/auth/login", json: recovery).status == .ok)
            let reused = try await client.call(.post, "/auth/login", json: recovery)
            #expect(reused.status == .unauthorized)
            #expect(reused.errorCode == "invalid_totp")

            clock.advance(by: 30)
            let badDisable = try await client.call(.post, "/auth/2fa/disable", json: ["code": "123456", "password": "correct horse battery"], token: user.token)
            #expect(badDisable.errorCode == "invalid_totp")
            let disableCode = try Self.code(secret: secret, at: clock.now)
            let noPassword = try await client.call(.post, "/auth/2fa/disable", json: ["code": disableCode], token: user.token)
            #expect(noPassword.status == .unauthorized, "a stolen token alone cannot turn 2FA off")
            let disable = try await client.call(
                .post, "/auth/2fa/disable", json: ["code": disableCode, "password": "correct horse battery"], token: user.token)
            #expect(disable.status == .noContent)
            #expect(try await client.call(.post, "/auth/login", json: login).status == .ok)
        }
    }

    @Test func codesFromTheNeighbouringStepsAreAcceptedButNotFurther() throws {
        let secret = TOTPVerifier.makeSecret()
        let now = Date(timeIntervalSince1970: 1_800_000_015)
        let step = Int64(1_800_000_015 / 30)
        func code(_ offset: TimeInterval) -> String { String(format: "%06d", TOTP(secret: secret).compute(date: now.addingTimeInterval(offset))) }
        #expect(TOTPVerifier.matchingStep(code: code(-30), secret: secret, at: now, lastUsedStep: 0) == step - 1)
        #expect(TOTPVerifier.matchingStep(code: code(0), secret: secret, at: now, lastUsedStep: 0) == step)
        #expect(TOTPVerifier.matchingStep(code: code(30), secret: secret, at: now, lastUsedStep: 0) == step + 1)
        #expect(TOTPVerifier.matchingStep(code: code(90), secret: secret, at: now, lastUsedStep: 0) == nil)
        #expect(TOTPVerifier.matchingStep(code: code(0), secret: secret, at: now, lastUsedStep: step) == nil, "a used step is spent")
        #expect(TOTPVerifier.matchingStep(code: "12345", secret: secret, at: now, lastUsedStep: 0) == nil)
    }

    @Test func setupIsRefusedWhileEnabled() async throws {
        let clock = TestClock()
        try await withAuthService(clock: clock) { client in
            let user = try await client.register()
            _ = try await Self.enable(for: user, client: client, clock: clock)
            let again = try await client.call(.post, "/auth/2fa/setup", token: user.token)
            #expect(again.status == .conflict)
        }
    }

    /// Issue 15, row 5: a stolen token alone could turn 2FA on for the thief and keep every session.
    @Test func enablingTwoFactorTakesThePasswordAndEndsEveryOtherSession() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await withAuthService(clock: clock) { client in
            let user = try await client.register()
            let otherSession = try await client.login(user.username)
            let secret = try #require((try await client.call(.post, "/auth/2fa/setup", token: user.token))["secret"] as? String)
            let code = try Self.code(secret: secret, at: clock.now)

            let missing = try await client.call(.post, "/auth/2fa/enable", json: ["code": code], token: user.token)
            #expect(missing.status == .unauthorized)
            #expect(missing.errorCode == "unauthorized")
            let wrong = try await client.call(.post, "/auth/2fa/enable", json: ["code": code, "password": "not the password"], token: user.token)
            #expect(wrong.status == .unauthorized)
            #expect((try await client.call(.get, "/auth/me", token: user.token))["totp_enabled"] as? Bool == false, "nothing changed")

            let enabled = try await client.call(.post, "/auth/2fa/enable", json: ["code": code, "password": "correct horse battery"], token: user.token)
            #expect(enabled.status == .ok)
            #expect(try await client.call(.get, "/auth/me", token: otherSession).status == .unauthorized, "every other session ended")
            #expect(try await client.call(.get, "/auth/me", token: user.token).status == .ok, "the caller's stays")
        }
    }

    @Test func newRecoveryCodesReplaceTheOldOnes() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await withAuthService(clock: clock) { client in
            let user = try await client.register()
            let secret = try #require((try await client.call(.post, "/auth/2fa/setup", token: user.token))["secret"] as? String)
            let first = try await client.call(
                .post, "/auth/2fa/enable", json: ["code": try Self.code(secret: secret, at: clock.now), "password": "correct horse battery"], token: user.token)
            let oldCodes = try #require(first["recovery_codes"] as? [String])

            clock.advance(by: 30)
            let code = try Self.code(secret: secret, at: clock.now)
            let noPassword = try await client.call(.post, "/auth/2fa/recovery-codes", json: ["code": code], token: user.token)
            #expect(noPassword.status == .unauthorized)
            let wrongCode = try await client.call(.post, "/auth/2fa/recovery-codes", json: ["code": "000000", "password": "correct horse battery"], token: user.token)
            #expect(wrongCode.status == .badRequest)
            #expect(wrongCode.errorCode == "invalid_totp")
            let renewed = try await client.call(.post, "/auth/2fa/recovery-codes", json: ["code": code, "password": "correct horse battery"], token: user.token)
            #expect(renewed.status == .ok)
            let newCodes = try #require(renewed["recovery_codes"] as? [String])
            #expect(newCodes.count == 10 && Set(newCodes).isDisjoint(with: oldCodes))

            let login: [String: Any] = ["username": user.username, "password": "correct horse battery"]
            let old = try await client.call(.post, "/auth/login", json: login.merging(["totp_code": oldCodes[0]]) { $1 })
            #expect(old.errorCode == "invalid_totp", "the old codes stopped working")
            #expect(try await client.call(.post, "/auth/login", json: login.merging(["totp_code": newCodes[0]]) { $1 }).status == .ok)
        }
    }

    @Test func recoveryCodesNeedTwoFactorOn() async throws {
        try await withAuthService { client in
            let user = try await client.register()
            let reply = try await client.call(.post, "/auth/2fa/recovery-codes", json: ["code": "123456", "password": "correct horse battery"], token: user.token)
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "totp_not_enabled")
        }
    }
}

/// Base32 decoding for the test side (what an authenticator app does with the secret).
enum Base32Decoding {
    static func decode(_ text: String) -> String? {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567")
        var buffer: UInt32 = 0
        var bits = 0
        var bytes: [UInt8] = []
        for character in text where character != "=" {
            guard let value = alphabet.firstIndex(of: character) else { return nil }
            buffer = (buffer << 5) | UInt32(value)
            bits += 5
            if bits >= 8 {
                bytes.append(UInt8((buffer >> UInt32(bits - 8)) & 0xFF))
                bits -= 8
            }
        }
        return String(bytes: bytes, encoding: .utf8)
    }
}
