import Foundation

/// Revoked login sessions, shared through Redis so that a logout stops the token at every
/// service at once. Each entry lives as long as the longest token of that session could.
public struct SessionRevocations: Sendable {
    let redis: RedisClient

    public init(redis: RedisClient) {
        self.redis = redis
    }

    public func revoke(sessionID: UUID, until expiry: Date, now: Date) async throws {
        let seconds = max(1, Int(expiry.timeIntervalSince(now).rounded(.up)))
        try await redis.send("SET", Self.key(sessionID), "1", "EX", String(seconds))
    }

    public func isRevoked(sessionID: UUID) async throws -> Bool {
        try await redis.send("EXISTS", Self.key(sessionID)).int == 1
    }

    static func key(_ sessionID: UUID) -> String {
        "auth:revoked-session:\(sessionID.uuidString.lowercased())"
    }
}
