import Foundation
import ServiceKit

/// Turning TOTP two-factor authentication on and off.
struct TwoFactor: Sendable {
    let users: UserStore
    let accounts: Accounts
    let throttle: AttemptThrottle
    let maxFailures: Int
    let clock: WallClock

    struct Setup: Sendable {
        let secret: String
        let otpauthURI: String
    }

    func setup(userID: UUID) async throws -> Setup {
        let user = try await existingUser(userID)
        guard !user.totpEnabled else {
            throw AppError.conflict("two-factor authentication is already enabled", code: "totp_already_enabled")
        }
        let secret = TOTPVerifier.makeSecret()
        guard try await users.setPendingTOTPSecret(userID: userID, secret: secret) else {
            throw AppError.conflict("two-factor authentication is already enabled", code: "totp_already_enabled")
        }
        return Setup(secret: TOTPVerifier.appSecret(for: secret), otpauthURI: TOTPVerifier.otpauthURI(secret: secret, username: user.username))
    }

    /// Enables 2FA once a code from the app proves the secret was saved; returns recovery codes.
    func enable(userID: UUID, code: String) async throws -> [String] {
        let attempt = try await throttle.begin([.init("totp:" + userID.apiString, maxAttempts: maxFailures, clearedBySuccess: true)])
        let user = try await existingUser(userID)
        guard !user.totpEnabled else {
            throw AppError.conflict("two-factor authentication is already enabled", code: "totp_already_enabled")
        }
        guard let secret = user.totpSecret else {
            throw AppError(.badRequest, code: "totp_not_set_up", message: "call /auth/2fa/setup first")
        }
        let code = code.trimmingCharacters(in: .whitespaces)
        guard let step = TOTPVerifier.matchingStep(code: code, secret: secret, at: clock.now(), lastUsedStep: user.totpLastStep) else {
            throw Self.invalidCode
        }
        let codes = RecoveryCodes.generate()
        guard try await users.enableTOTP(userID: userID, step: step, recoveryCodeHashes: codes.map(RecoveryCodes.hash)) else {
            throw Self.invalidCode
        }
        try await throttle.succeeded(attempt)
        return codes
    }

    func disable(userID: UUID, code: String) async throws {
        let attempt = try await throttle.begin([.init("totp:" + userID.apiString, maxAttempts: maxFailures, clearedBySuccess: true)])
        let user = try await existingUser(userID)
        guard user.totpEnabled else {
            throw AppError(.badRequest, code: "totp_not_enabled", message: "two-factor authentication is not enabled")
        }
        guard try await accounts.consumeSecondFactor(code, of: user) else {
            throw Self.invalidCode
        }
        try await throttle.succeeded(attempt)
        try await users.disableTOTP(userID: userID)
    }

    private static let invalidCode = AppError(.badRequest, code: "invalid_totp", message: "the code is wrong or was already used", details: ["field": "code"])

    private func existingUser(_ id: UUID) async throws -> User {
        guard let user = try await users.find(id: id) else { throw AppError.unauthorized() }
        return user
    }
}
