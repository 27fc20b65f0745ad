import Foundation
import ServiceKit

/// Slows down password and code guessing per account, across all auth instances (Redis): after
/// `maxFailures` failures within `window`, further attempts get 429 until the window passes.
struct LoginThrottle: Sendable {
    let redis: RedisClient
    let maxFailures: Int
    let window: Int

    /// Throws 429 with `Retry-After` while `subject` is locked out.
    func checkAllowed(_ subject: String) async throws {
        let replies = try await redis.pipeline([["GET", key(subject)], ["TTL", key(subject)]])
        guard let failures = replies[0].int, failures >= maxFailures else { return }
        throw AppError.rateLimited(retryAfterSeconds: replies[1].int ?? window)
    }

    func recordFailure(_ subject: String) async throws {
        // NX: the window starts at the first failure and is not extended by later ones.
        _ = try await redis.pipeline([["INCR", key(subject)], ["EXPIRE", key(subject), String(window), "NX"]])
    }

    func reset(_ subject: String) async throws {
        try await redis.send("DEL", key(subject))
    }

    private func key(_ subject: String) -> String {
        "auth:failures:\(subject)"
    }
}
