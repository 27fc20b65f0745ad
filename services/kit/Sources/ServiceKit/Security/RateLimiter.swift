import Foundation

/// At most `limit` actions per `window` per subject, across all instances: a sliding window kept
/// in Redis as a sorted set of recent action times. An action beyond it is 429 with `Retry-After`
/// (when the oldest counted action leaves the window), and is not counted.
public struct RateLimiter: Sendable {
    let redis: RedisClient
    /// Namespaces the Redis keys: `<prefix>:rate:<subject>`.
    let prefix: String
    let limit: Int
    let window: TimeInterval

    public init(redis: RedisClient, prefix: String, limit: Int, window: TimeInterval) {
        self.redis = redis
        self.prefix = prefix
        self.limit = limit
        self.window = window
    }

    /// Counts one action of `subject` at `now`, or throws 429 when it would exceed the limit.
    public func acquire(_ subject: String, now: Date) async throws {
        let windowMillis = Int64(window * 1000)
        let reply = try await redis.send([
            "EVAL", Self.script, "1", "\(prefix):rate:\(subject)",
            String(Int64(now.timeIntervalSince1970 * 1000)), String(windowMillis), String(limit), UUID().uuidString,
        ])
        guard let waitMillis = reply.int, waitMillis > 0 else { return }
        throw AppError.rateLimited(retryAfterSeconds: Int((Double(waitMillis) / 1000).rounded(.up)))
    }

    /// Atomic in Redis: drop times older than the window, refuse when `limit` remain (answering
    /// how long until the oldest leaves), else record this one. 0 means allowed.
    static let script = """
        local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
        if redis.call('ZCARD', key) >= limit then
            local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
            return math.max(1, tonumber(oldest[2]) + window - now)
        end
        redis.call('ZADD', key, now, ARGV[4])
        redis.call('PEXPIRE', key, window)
        return 0
        """
}
