import Foundation
import ServiceKit
import Testing
import TestSupport

/// Guessing is counted before it is checked, so concurrency cannot outrun a limit, and a budget
/// shared by many (an address) is not spent by those who get it right.
@Suite struct AttemptThrottleTests {
    func throttle(window: Int = 60) async throws -> AttemptThrottle {
        AttemptThrottle(redis: RedisClient(settings: try await TestEnvironment.redisSettings()), prefix: "test-\(UUID())", window: window)
    }

    @Test func concurrentAttemptsGetNoMoreThanTheBudget() async throws {
        let throttle = try await throttle()
        let budget = AttemptThrottle.Budget("account", maxAttempts: 5, clearedBySuccess: true)
        let admitted = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<40 {
                group.addTask {
                    do {
                        _ = try await throttle.begin([budget])
                        return true
                    } catch let error as AppError where error.status == .tooManyRequests {
                        #expect(Int(error.headers[.retryAfter] ?? "") ?? 0 > 0)
                        return false
                    }
                }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        #expect(admitted == 5)
    }

    @Test func successClearsItsOwnBudgetAndRefundsTheSharedOne() async throws {
        let throttle = try await throttle()
        let shared = AttemptThrottle.Budget("address", maxAttempts: 3, clearedBySuccess: false)
        for account in ["a", "b"] {
            let attempt = try await throttle.begin([.init(account, maxAttempts: 2, clearedBySuccess: true), shared])
            try await throttle.succeeded(attempt)
        }
        // Two successes used nothing of the address's three; three failures use it up.
        for account in ["c", "d", "e"] { _ = try await throttle.begin([.init(account, maxAttempts: 2, clearedBySuccess: true), shared]) }
        await #expect(throws: AppError.self) { _ = try await throttle.begin([.init("f", maxAttempts: 2, clearedBySuccess: true), shared]) }
    }

    @Test func theAttemptThatSpendsABudgetSaysSoOnce() async throws {
        let throttle = try await throttle()
        let budget = AttemptThrottle.Budget("account", maxAttempts: 2, clearedBySuccess: true)
        #expect(try await throttle.begin([budget]).exhausts("account") == false)
        #expect(try await throttle.begin([budget]).exhausts("account") == true)
        await #expect(throws: AppError.self) { _ = try await throttle.begin([budget]) }
    }

    @Test func anUnreachableRedisRefusesRatherThanAdmits() async throws {
        let dead = RedisClient(settings: RedisSettings(host: "127.0.0.1", port: try TestEnvironment.freePort(), password: nil), connections: 1)
        let throttle = AttemptThrottle(redis: dead, prefix: "test", window: 60)
        let error = await #expect(throws: AppError.self) { _ = try await throttle.begin([.init("x", maxAttempts: 5, clearedBySuccess: true)]) }
        #expect(error?.status == .serviceUnavailable)
    }
}

@Suite struct RateLimiterTests {
    @Test func aReleasedSlotCanBeUsedAgain() async throws {
        let limiter = RateLimiter(
            redis: RedisClient(settings: try await TestEnvironment.redisSettings()), prefix: "test-\(UUID())", limit: 2, window: 60)
        let now = Date()
        try await limiter.acquire("u", now: now)
        // An action that fails gives its slot back.
        await #expect(throws: AppError.self) {
            try await limiter.counting("u", now: now) { throw AppError.validation(field: "content", "bad") }
        }
        try await limiter.acquire("u", now: now)
        let refused = await #expect(throws: AppError.self) { try await limiter.acquire("u", now: now) }
        #expect(refused?.status == .tooManyRequests)
    }

    @Test func anUnreachableRedisRefusesRatherThanAdmits() async throws {
        let dead = RedisClient(settings: RedisSettings(host: "127.0.0.1", port: try TestEnvironment.freePort(), password: nil), connections: 1)
        let limiter = RateLimiter(redis: dead, prefix: "test", limit: 10, window: 10)
        let error = await #expect(throws: AppError.self) { try await limiter.acquire("u", now: Date()) }
        #expect(error?.status == .serviceUnavailable)
    }
}

/// Redis never evicts (`noeviction`): when it is full, limits refuse instead of forgetting.
@Suite struct FullRedisTests {
    @Test func aFullRedisFailsLimitsClosed() async throws {
        // A limit of one byte: Redis is always full, and refuses every write.
        let port = try await TestRedis.startPrivate(["--maxmemory", "1"])
        let redis = RedisClient(settings: RedisSettings(host: "127.0.0.1", port: port, password: nil), connections: 1)
        guard case .error = try await redis.pipeline([["SET", "key", "value"]])[0] else {
            Issue.record("a full Redis took a write")
            return
        }
        let limiter = RateLimiter(redis: redis, prefix: "test", limit: 10, window: 10)
        #expect(await #expect(throws: AppError.self) { try await limiter.acquire("u", now: Date()) }?.status == .serviceUnavailable)
        let throttle = AttemptThrottle(redis: redis, prefix: "test", window: 60)
        #expect(await #expect(throws: AppError.self) {
            _ = try await throttle.begin([.init("x", maxAttempts: 5, clearedBySuccess: true)])
        }?.status == .serviceUnavailable)
    }
}
