import Foundation

/// The authenticated caller of a request: who, and through which login session.
public struct Identity: Sendable, Equatable {
    public let userID: UUID
    public let sessionID: UUID
    public let expiresAt: Date

    public init(userID: UUID, sessionID: UUID, expiresAt: Date) {
        self.userID = userID
        self.sessionID = sessionID
        self.expiresAt = expiresAt
    }
}

/// Wall-clock time, injected so tests can move it (token expiry, TOTP steps, edit windows).
public struct WallClock: Sendable {
    public let now: @Sendable () -> Date

    public init(now: @escaping @Sendable () -> Date) {
        self.now = now
    }

    public static let system = WallClock { Date() }
}
