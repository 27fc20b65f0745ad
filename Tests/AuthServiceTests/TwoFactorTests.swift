import Foundation
import HTTPTypes
import HummingbirdOTP
import Testing
import TestSupport

@testable import AuthService

@Suite struct TwoFactorTests {
    /// The code an authenticator app shows for the base32 `secret` at `date`.
    static func code(secret base32: String, at date: Date) throws -> String {
        let secret = try #require(Base32Decoding.decode(base32))
        return String(format: "%06d", TOTP(secret: secret).compute(date: date))
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

            let wrong = try await client.call(.post, "/auth/2fa/enable", json: ["code": "000000"], token: user.token)
            #expect(wrong.status == .badRequest)
            #expect(wrong.errorCode == "invalid_totp")

            let enabled = try await client.call(.post, "/auth/2fa/enable", json: ["code": try Self.code(secret: secret, at: clock.now)], token: user.token)
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
            let badDisable = try await client.call(.post, "/auth/2fa/disable", json: ["code": "123456"], token: user.token)
            #expect(badDisable.errorCode == "invalid_totp")
            let disable = try await client.call(.post, "/auth/2fa/disable", json: ["code": try Self.code(secret: secret, at: clock.now)], token: user.token)
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
            let secret = try #require((try await client.call(.post, "/auth/2fa/setup", token: user.token))["secret"] as? String)
            _ = try await client.call(.post, "/auth/2fa/enable", json: ["code": try Self.code(secret: secret, at: clock.now)], token: user.token)
            let again = try await client.call(.post, "/auth/2fa/setup", token: user.token)
            #expect(again.status == .conflict)
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
