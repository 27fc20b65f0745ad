import Foundation
import ServiceKit

/// Turning TOTP two-factor authentication on and off, and new recovery codes. Each change takes
/// the current password besides a code (`StepUp`).
struct TwoFactor: Sendable {
    let users: UserStore
    let secondFactor: SecondFactor
    let stepUp: StepUp
    let sessions: Sessions
    let outbox: Outbox
    let clock: WallClock

    struct Setup: Sendable {
        let secret: String
        let otpauthURI: String
    }

    func setup(userID: UUID) async throws -> Setup {
        let user = try await existingUser(userID)
        guard !user.totpEnabled else { throw Self.alreadyEnabled }
        let secret = TOTPVerifier.makeSecret()
        guard try await users.setPendingTOTPSecret(userID: userID, secret: secret) else { throw Self.alreadyEnabled }
        return Setup(secret: TOTPVerifier.appSecret(for: secret), otpauthURI: TOTPVerifier.otpauthURI(secret: secret, username: user.username))
    }

    /// Enables 2FA once a code from the app proves the secret was saved; returns recovery codes.
    /// Every other session of the user ends: whoever else was signed in signs in again, with a code.
    func enable(_ identity: Identity, code: String, password: String?) async throws -> [String] {
        try await stepUp.confirmed(identity.userID, password: password) { user in
            guard !user.totpEnabled else { throw Self.alreadyEnabled }
            guard let secret = user.totpSecret else {
                throw AppError(.badRequest, code: "totp_not_set_up", message: "call /auth/2fa/setup first")
            }
            let trimmed = code.trimmingCharacters(in: .whitespaces)
            guard let step = TOTPVerifier.matchingStep(code: trimmed, secret: secret, at: clock.now(), lastUsedStep: user.totpLastStep) else {
                throw Self.invalidCode
            }
            let codes = RecoveryCodes.generate()
            try await outbox.transaction { tx in
                guard try await users.enableTOTP(userID: user.id, step: step, recoveryCodeHashes: codes.map(RecoveryCodes.hash), on: tx.connection) else {
                    throw Self.invalidCode
                }
                try await sessions.endOthers(of: identity, on: tx.connection)
            }
            return codes
        }
    }

    func disable(_ identity: Identity, code: String, password: String?) async throws {
        try await stepUp.confirmed(identity.userID, password: password) { user in
            guard user.totpEnabled else { throw Self.notEnabled }
            guard try await secondFactor.consume(code, of: user) else { throw Self.invalidCode }
            try await users.disableTOTP(userID: user.id)
        }
    }

    /// Ten new recovery codes; the old ones stop working.
    func regenerateRecoveryCodes(_ identity: Identity, code: String, password: String?) async throws -> [String] {
        try await stepUp.confirmed(identity.userID, password: password) { user in
            guard user.totpEnabled else { throw Self.notEnabled }
            guard try await secondFactor.consume(code, of: user) else { throw Self.invalidCode }
            let codes = RecoveryCodes.generate()
            try await outbox.transaction { tx in
                try await users.replaceRecoveryCodes(userID: user.id, hashes: codes.map(RecoveryCodes.hash), on: tx.connection)
            }
            return codes
        }
    }

    private static let invalidCode = AppError(.badRequest, code: "invalid_totp", message: "the code is wrong or was already used", details: ["field": "code"])
    private static let alreadyEnabled = AppError.conflict("two-factor authentication is already enabled", code: "totp_already_enabled")
    private static let notEnabled = AppError(.badRequest, code: "totp_not_enabled", message: "two-factor authentication is not enabled")

    private func existingUser(_ id: UUID) async throws -> User {
        guard let user = try await users.find(id: id) else { throw AppError.unauthorized() }
        return user
    }
}
