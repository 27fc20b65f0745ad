import Configuration
import Foundation

/// At most `limit` actions per `window` per subject, across all instances: a sliding window kept
/// in Redis as a sorted set of recent action times. An action beyond it is 429 with `Retry-After`
/// (when the oldest counted action leaves the window), and is not counted. Redis unreachable or
/// refusing writes (full) fails closed: 503, never an unlimited action.
public struct RateLimiter: Sendable {
    let redis: RedisClient
    /// Namespaces the Redis keys: `<prefix>:rate:<subject>`.
    let prefix: String
    public let limit: Int
    public let window: TimeInterval

    public init(redis: RedisClient, prefix: String, limit: Int, window: TimeInterval) {
        self.redis = redis
        self.prefix = prefix
        self.limit = limit
        self.window = window
    }

    public init(redis: RedisClient, prefix: String, setting: RateLimitSetting) {
        self.init(redis: redis, prefix: prefix, limit: setting.limit, window: TimeInterval(setting.windowSeconds))
    }

    /// One counted action, to give back (`release`) when the action then fails: a refused send
    /// must not use up the sender's budget.
    public struct Slot: Sendable {
        let key: String
        let member: String
    }

    /// Counts one action of `subject` at `now`, or throws 429 when it would exceed the limit.
    @discardableResult
    public func acquire(_ subject: String, now: Date) async throws -> Slot {
        let slot = Slot(key: "\(prefix):rate:\(subject)", member: UUID().uuidString)
        let reply: RESPValue
        do {
            reply = try await redis.send([
                "EVALSHA", Self.script.sha1, "1", slot.key,
                String(Int64(now.timeIntervalSince1970 * 1000)), String(Int64(window * 1000)), String(limit), slot.member,
            ])
        } catch {
            throw AppError.serviceUnavailable("the rate limiter", internalDetail: "\(error)")
        }
        guard let waitMillis = reply.int else {
            throw AppError.serviceUnavailable("the rate limiter", internalDetail: "unexpected reply \(reply)")
        }
        guard waitMillis > 0 else { return slot }
        throw AppError.rateLimited(retryAfterSeconds: Int((Double(waitMillis) / 1000).rounded(.up)))
    }

    /// Gives a slot back; best effort (a slot that stays counted only expires with its window).
    public func release(_ slot: Slot) async {
        _ = try? await redis.send("ZREM", slot.key, slot.member)
    }

    /// Runs `action` as one counted action of `subject`, released again if `action` throws.
    public func counting<T>(_ subject: String, now: Date, _ action: () async throws -> T) async throws -> T {
        let slot = try await acquire(subject, now: now)
        do {
            return try await action()
        } catch {
            await release(slot)
            throw error
        }
    }

    /// Atomic in Redis: drop times older than the window, refuse when `limit` remain (answering
    /// how long until the oldest leaves), else record this one. 0 means allowed.
    /// `#!lua` marks it a flagged script: Redis refuses to run it at all when full (without the
    /// mark a script may still write past the limit once it started).
    static let script = RedisScript("""
        #!lua
        local key, now, window, limit = KEYS[1], tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
        redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
        if redis.call('ZCARD', key) >= limit then
            local oldest = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
            return math.max(1, tonumber(oldest[2]) + window - now)
        end
        redis.call('ZADD', key, now, ARGV[4])
        redis.call('PEXPIRE', key, window)
        return 0
        """)
}

/// One configurable limit: `<NAME>_RATE_LIMIT` actions per `<NAME>_RATE_WINDOW_SECONDS`.
public struct RateLimitSetting: Sendable, Equatable {
    public var limit: Int
    public var windowSeconds: Int

    public init(limit: Int, windowSeconds: Int) {
        self.limit = limit
        self.windowSeconds = windowSeconds
    }

    /// `name` is the variables' stem in lower case with dots: `"edit"` reads `EDIT_RATE_LIMIT`
    /// and `EDIT_RATE_WINDOW_SECONDS`; the defaults are the production values.
    public init(_ name: String, reader: ConfigReader, limit: Int, windowSeconds: Int) {
        self.limit = max(1, reader.int(forKey: ConfigKey(stringLiteral: name + ".rate.limit"), default: limit))
        self.windowSeconds = max(1, reader.int(forKey: ConfigKey(stringLiteral: name + ".rate.window.seconds"), default: windowSeconds))
    }
}
