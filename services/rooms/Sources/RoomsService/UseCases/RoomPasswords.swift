import Foundation
import ServiceKit

/// Room passwords: stored as bcrypt, and tried under a throttle. Every try is counted before
/// bcrypt runs, against the user's budget for the room and their budget across all rooms, so
/// neither many guesses at one room nor guesses at many rooms at once get through in parallel.
struct RoomPasswords: Sendable {
    let hasher: PasswordHasher
    let throttle: AttemptThrottle
    /// Wrong passwords per user and room within the throttle's window.
    let maxFailuresPerRoom: Int
    /// Wrong passwords per user across all rooms within the window.
    let maxFailuresPerUser: Int

    func hash(_ password: String) async throws -> String {
        try await hasher.hash(password)
    }

    /// Passes when `password` is the room's; otherwise 403 `wrong_password`, or 429 once either
    /// budget is spent. A right password clears the user's count for this room and gives their
    /// attempt across rooms back, leaving the wrong ones elsewhere counted.
    func check(_ password: String?, against hash: String, userID: UUID, roomID: UUID) async throws {
        let attempt = try await throttle.begin([
            .init("\(userID.apiString):\(roomID.apiString)", maxAttempts: maxFailuresPerRoom, clearedBySuccess: true),
            .init(userID.apiString, maxAttempts: maxFailuresPerUser, clearedBySuccess: false),
        ])
        guard let password, try await hasher.verify(password, hash: hash) else {
            throw AppError.forbidden("wrong room password", code: "wrong_password")
        }
        try await throttle.succeeded(attempt)
    }
}
