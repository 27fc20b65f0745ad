import Foundation

/// Slows down guessing (passwords, codes) across all instances. Every attempt is counted in Redis
/// before the expensive check runs, so concurrent guesses cannot all slip past the limit: once a
/// budget's attempts within `window` seconds (counted from the first) are spent, further attempts
/// get 429 with `Retry-After` until the window passes. An attempt draws on several budgets at once
/// (the account from this address, and the address across accounts), so nobody can lock an owner
/// out from elsewhere. Redis unreachable or full fails closed (503).
public struct AttemptThrottle: Sendable {
    let redis: RedisClient
    /// Namespaces the Redis keys: `<prefix>:attempts:<subject>`.
    let prefix: String
    let window: Int

    public init(redis: RedisClient, prefix: String, window: Int) {
        self.redis = redis
        self.prefix = prefix
        self.window = window
    }

    /// At most `maxAttempts` unsuccessful attempts for `subject` per window. A success clears an
    /// owned budget (the account's own count) and gives a shared one (the address's) its attempt back.
    public struct Budget: Sendable {
        public let subject: String
        public let maxAttempts: Int
        public let clearedBySuccess: Bool

        public init(_ subject: String, maxAttempts: Int, clearedBySuccess: Bool) {
            self.subject = subject
            self.maxAttempts = maxAttempts
            self.clearedBySuccess = clearedBySuccess
        }
    }

    /// An attempt counted against its budgets.
    public struct Attempt: Sendable {
        let budgets: [Budget]
        /// Each budget's count including this attempt.
        public let counts: [Int]
        /// Seconds until each budget's window ends (counted from its first attempt).
        let secondsLeft: [Int]

        /// True when this attempt used the last of `subject`'s attempts: the moment to tell the
        /// owner, once, that the next ones will be refused.
        public func exhausts(_ subject: String) -> Bool {
            guard let index = budgets.firstIndex(where: { $0.subject == subject }) else { return false }
            return counts[index] == budgets[index].maxAttempts
        }

        /// When `subject`'s window ends, seen at `now`: until then a spent budget refuses.
        public func windowEnd(of subject: String, now: Date) -> Date? {
            guard let index = budgets.firstIndex(where: { $0.subject == subject }) else { return nil }
            return now.addingTimeInterval(TimeInterval(secondsLeft[index]))
        }
    }

    /// Counts one attempt against every budget, each atomically; throws 429 (`Retry-After`: until
    /// the spent budget's window ends) when any of them had no attempt left.
    public func begin(_ budgets: [Budget]) async throws -> Attempt {
        let replies: [RESPValue]
        do {
            replies = try await redis.pipeline(budgets.map { ["EVALSHA", Self.script.sha1, "1", key($0.subject), String(window)] })
        } catch {
            throw AppError.serviceUnavailable("the attempt throttle", internalDetail: "\(error)")
        }
        var counts: [Int] = []
        var secondsLeft: [Int] = []
        var retryAfter = 0
        for (budget, reply) in zip(budgets, replies) {
            guard let pair = reply.array, pair.count == 2, let count = pair[0].int, let ttl = pair[1].int else {
                throw AppError.serviceUnavailable("the attempt throttle", internalDetail: "unexpected reply \(reply)")
            }
            counts.append(count)
            secondsLeft.append(ttl)
            if count > budget.maxAttempts { retryAfter = max(retryAfter, ttl) }
        }
        guard retryAfter == 0 else { throw AppError.rateLimited(retryAfterSeconds: retryAfter) }
        return Attempt(budgets: budgets, counts: counts, secondsLeft: secondsLeft)
    }

    /// The attempt succeeded: owned budgets start again, shared ones get this attempt back.
    public func succeeded(_ attempt: Attempt) async throws {
        let commands = attempt.budgets.map { budget in
            budget.clearedBySuccess ? ["DEL", key(budget.subject)] : ["EVALSHA", Self.refundScript.sha1, "1", key(budget.subject)]
        }
        _ = try await redis.pipeline(commands)
    }

    /// True the first time in a window it is asked for `subject`, false after: to tell an owner
    /// that their account's sign-ins were paused without one message per guessing address.
    /// Redis failing: false (the pause holds either way; only the notice is skipped).
    public func claimNotice(_ subject: String) async -> Bool {
        let reply = try? await redis.send("SET", "\(prefix):notice:\(subject)", "1", "NX", "EX", String(window))
        return reply?.string == "OK"
    }

    private func key(_ subject: String) -> String {
        "\(prefix):attempts:\(subject)"
    }

    /// Gives one attempt back to a count that is still there: a window that ended meanwhile is not
    /// brought back as a key without an expiry (a plain DECR would make one, at -1).
    static let refundScript = RedisScript("""
        #!lua
        if redis.call('GET', KEYS[1]) and tonumber(redis.call('GET', KEYS[1])) > 0 then redis.call('DECR', KEYS[1]) end
        return 0
        """)

    /// One key, atomically: count the attempt and start the window at the first one (a key left
    /// without an expiry gets one, so no count can outlive its window).
    /// `#!lua`: refused whole by a full Redis, like the rate limiter's.
    static let script = RedisScript("""
        #!lua
        local count = redis.call('INCR', KEYS[1])
        local ttl = redis.call('TTL', KEYS[1])
        if ttl < 0 then
            redis.call('EXPIRE', KEYS[1], ARGV[1])
            ttl = tonumber(ARGV[1])
        end
        return {count, ttl}
        """)
}
