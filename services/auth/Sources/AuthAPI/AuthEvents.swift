import Foundation

/// The events auth emits, each on the user's stream, defined here once: its consumers (the
/// gateway, notify) read them through these types, and auth's tests decode what it emits as them.
/// Keys are API.md's (snake_case on the wire).
public enum AuthEventType: String, Sendable, CaseIterable {
    /// A profile or status change; for the gateway (presence, profiles) and search.
    case userUpdated = "user_updated"
    /// Sign-in attempts paused after too many failures from one address; notify tells the owner.
    case loginLocked = "login_locked"
}

/// `user_updated`: the user as everyone may see them now.
public struct UserUpdated: Codable, Sendable, Equatable {
    public let user: UserSummary

    public init(user: UserSummary) {
        self.user = user
    }
}

/// `login_locked`: sign-ins to `userId` from `address` (an IPv4 address, or an IPv6 /64) refused
/// until `lockedUntil`, after `failedAttempts` failures.
public struct LoginLocked: Codable, Sendable, Equatable {
    public let userId: UUID
    public let address: String
    public let failedAttempts: Int
    public let lockedUntil: Date

    public init(userId: UUID, address: String, failedAttempts: Int, lockedUntil: Date) {
        self.userId = userId
        self.address = address
        self.failedAttempts = failedAttempts
        self.lockedUntil = lockedUntil
    }
}
