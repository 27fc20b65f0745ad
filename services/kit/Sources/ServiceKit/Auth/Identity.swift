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
