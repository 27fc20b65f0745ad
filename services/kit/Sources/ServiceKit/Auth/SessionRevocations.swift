import Foundation

/// Revoked login sessions, shared through Redis so that a logout stops the token at every
/// service at once. Each entry lives as long as the longest token of that session could. Each
/// revocation is also published on `channel` (the session id as the message), so that gateways
/// close that session's sockets at once instead of at their next check.
public struct SessionRevocations: Sendable {
    let redis: RedisClient

    /// The pub/sub channel of revocations: each message is one revoked session id.
    public static let channel = "auth:sessions-revoked"

    public init(redis: RedisClient) {
        self.redis = redis
    }

    public func revoke(sessionID: UUID, until expiry: Date, now: Date) async throws {
        try await revoke([(sessionID, expiry)], now: now)
    }

    /// Revokes several sessions in one round trip; throws unless Redis stored every one.
    public func revoke(_ sessions: [(id: UUID, expiresAt: Date)], now: Date) async throws {
        guard !sessions.isEmpty else { return }
        var commands: [[String]] = []
        for (id, expiry) in sessions {
            let seconds = max(1, Int(expiry.timeIntervalSince(now).rounded(.up)))
            commands.append(["SET", Self.key(id), "1", "EX", String(seconds)])
            commands.append(["PUBLISH", redis.namespaced(Self.channel), id.apiString])
        }
        try await redis.pipelineAll(commands, or: "revocation not stored")
    }

    public func isRevoked(sessionID: UUID) async throws -> Bool {
        try await redis.send("EXISTS", Self.key(sessionID)).int == 1
    }

    /// Which of `sessionIDs` are revoked, in one round trip (a gateway's periodic check of its sockets).
    public func revoked(among sessionIDs: [UUID]) async throws -> Set<UUID> {
        guard !sessionIDs.isEmpty else { return [] }
        let replies = try await redis.pipeline(sessionIDs.map { ["EXISTS", Self.key($0)] })
        guard replies.count == sessionIDs.count, replies.allSatisfy({ $0.int != nil }) else {
            throw RedisError(message: "revocation check failed")
        }
        return Set(zip(sessionIDs, replies).compactMap { $0.1.int == 1 ? $0.0 : nil })
    }

    static func key(_ sessionID: UUID) -> String {
        "auth:revoked-session:\(sessionID.uuidString.lowercased())"
    }
}
