import AuthAPI
import Foundation
import ServiceKit

/// What notify reads from auth's `login_locked`: whose sign-ins from which address are paused,
/// after how many failures, and until when.
struct SignInPause: Sendable {
    let userID: UUID
    let address: String
    let failedAttempts: Int
    let lockedUntil: Date

    init(_ locked: LoginLocked) {
        self.userID = locked.userId
        self.address = locked.address
        self.failedAttempts = locked.failedAttempts
        self.lockedUntil = locked.lockedUntil
    }
}
