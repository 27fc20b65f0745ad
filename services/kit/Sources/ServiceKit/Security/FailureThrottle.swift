import Foundation

/// Slows down guessing (passwords, codes) per subject across all instances (Redis): after
/// `maxFailures` failures within `window` seconds, further attempts get 429 until the window passes.
public struct FailureThrottle: Sendable {
    let redis: RedisClient
    /// Namespaces the Redis keys: `<prefix>:failures:<subject>`.
    let prefix: String
    let maxFailures: Int
    let window: Int

    public init(redis: RedisClient, prefix: String, maxFailures: Int, window: Int) {
        self.redis = redis
        self.prefix = prefix
        self.maxFailures = maxFailures
        self.window = window
    }

    /// Throws 429 with `Retry-After` while `subject` is locked out.
    public func checkAllowed(_ subject: String) async throws {
        let replies = try await redis.pipeline([["GET", key(subject)], ["TTL", key(subject)]])
        guard let failures = replies[0].int, failures >= maxFailures else { return }
        throw AppError.rateLimited(retryAfterSeconds: replies[1].int ?? window)
    }

    public func recordFailure(_ subject: String) async throws {
        // NX: the window starts at the first failure and is not extended by later ones.
        _ = try await redis.pipeline([["INCR", key(subject)], ["EXPIRE", key(subject), String(window), "NX"]])
    }

    public func reset(_ subject: String) async throws {
        try await redis.send("DEL", key(subject))
    }

    private func key(_ subject: String) -> String {
        "\(prefix):failures:\(subject)"
    }
}
