import Foundation
import ServiceKit

/// At most `limit` open WebSockets per user across every gateway instance. Redis keeps, per user,
/// a sorted set of their sockets, each scored by when it lapses; the heartbeat renews this
/// instance's sockets (like presence), so the sockets of an instance that died stop counting
/// within `ttlSeconds`. A socket is admitted before the upgrade, atomically, so parallel
/// handshakes cannot pass the limit together.
struct SocketQuota: Sendable {
    let redis: RedisClient
    let limit: Int
    let ttlSeconds: Int
    let clock: WallClock

    static func key(_ user: UUID) -> String { "gateway:sockets:\(user.apiString)" }

    /// Counts `socket` for `user`, or throws 429 `too_many_connections` when they have `limit`
    /// open already. Redis unreachable: 503, never an uncounted socket.
    func admit(user: UUID, socket: String) async throws {
        let now = clock.now().timeIntervalSince1970
        let reply: RESPValue
        do {
            reply = try await redis.send([
                "EVALSHA", Self.admitScript.sha1, "1", Self.key(user),
                String(now), String(now + Double(ttlSeconds)), String(limit), socket, String(ttlSeconds),
            ])
        } catch {
            throw AppError.serviceUnavailable("the connection registry", internalDetail: "\(error)")
        }
        guard reply.int == 1 else {
            throw AppError(
                .tooManyRequests, code: "too_many_connections",
                message: "at most \(limit) connections per user: close another one first")
        }
    }

    /// The socket closed; best effort (one that stays counted lapses within `ttlSeconds`).
    func release(user: UUID, socket: String) async {
        _ = try? await redis.send("ZREM", Self.key(user), socket)
    }

    /// Keeps this instance's sockets counted for another `ttlSeconds`. Only sockets still
    /// counted are renewed (`XX`): one that closed while the list was taken stays released.
    func refresh(_ sockets: [(sessionID: String, userID: UUID)]) async throws {
        guard !sockets.isEmpty else { return }
        let expiry = String(clock.now().timeIntervalSince1970 + Double(ttlSeconds))
        _ = try await redis.pipeline(sockets.flatMap { socket in
            [["ZADD", Self.key(socket.userID), "XX", expiry, socket.sessionID], ["EXPIRE", Self.key(socket.userID), String(ttlSeconds)]]
        })
    }

    /// Drops lapsed sockets; refuses (0) when `ARGV[3]` remain, else adds this one (1). Flagged
    /// (`#!lua`): a full Redis refuses it whole, so a socket is never let in uncounted.
    static let admitScript = RedisScript("""
        #!lua
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[3]) then return 0 end
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[4])
        redis.call('EXPIRE', KEYS[1], ARGV[5])
        return 1
        """)
}
