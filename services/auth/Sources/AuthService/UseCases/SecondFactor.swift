import Foundation
import ServiceKit

/// The second factor, as login and the 2FA settings take it: a TOTP code (single use, ±1 step)
/// or an unused recovery code.
struct SecondFactor: Sendable {
    let users: UserStore
    let clock: WallClock

    /// Whether `code` is good for `user`; a good one is used up.
    func consume(_ code: String, of user: User) async throws -> Bool {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        if let secret = user.totpSecret,
            let step = TOTPVerifier.matchingStep(code: trimmed, secret: secret, at: clock.now(), lastUsedStep: user.totpLastStep)
        {
            return try await users.consumeTOTPStep(userID: user.id, step: step)
        }
        guard RecoveryCodes.looksLikeRecoveryCode(trimmed) else { return false }
        return try await users.consumeRecoveryCode(userID: user.id, hash: RecoveryCodes.hash(trimmed))
    }
}
