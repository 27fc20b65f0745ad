import Foundation
import ServiceKit

/// What notify reads from auth's `login_locked`: whose sign-ins from which address are paused,
/// after how many failures, and until when.
struct SignInPause: Sendable {
    let userID: UUID
    let address: String
    let failedAttempts: Int
    let lockedUntil: Date

    /// Nil for a payload that is not one (skipped: redelivering it would not mend it).
    init?(_ data: JSONValue) {
        guard let userID = data["user_id"]?.stringValue.flatMap(UUID.init(uuidString:)), let address = data["address"]?.stringValue,
            case .number(let failedAttempts)? = data["failed_attempts"],
            let lockedUntil = data["locked_until"]?.stringValue.flatMap(Timestamp.parse)
        else { return nil }
        self.userID = userID
        self.address = address
        self.failedAttempts = Int(failedAttempts)
        self.lockedUntil = lockedUntil
    }
}
