import Foundation
import ServiceKit

/// Changing security settings (2FA on or off, new recovery codes, a new password) asks for the
/// current password again, so a stolen token alone cannot take the account over. Every check is
/// counted per user before bcrypt runs, against one budget all these endpoints share
/// (`LOGIN_MAX_FAILURES` per `LOGIN_LOCKOUT_SECONDS`), so neither the password nor a code can be
/// guessed through them, in parallel or one after another.
struct StepUp: Sendable {
    let users: UserStore
    let hasher: PasswordHasher
    let throttle: AttemptThrottle
    let maxAttempts: Int

    /// Runs `change` for the user once `password` proves to be theirs (missing or wrong: 401).
    /// A `change` that throws (a wrong code) leaves the attempt counted; one that succeeds clears
    /// the budget.
    func confirmed<T: Sendable>(_ userID: UUID, password: String?, _ change: (User) async throws -> T) async throws -> T {
        let attempt = try await throttle.begin([.init("step-up:" + userID.apiString, maxAttempts: maxAttempts, clearedBySuccess: true)])
        // The account is gone: its token is as good as revoked.
        guard let user = try await users.find(id: userID) else { throw AppError.unauthorized() }
        guard let password, try await hasher.verify(password, hash: user.passwordHash) else {
            throw AppError.unauthorized("the password is wrong")
        }
        let result = try await change(user)
        try await throttle.succeeded(attempt)
        return result
    }
}
