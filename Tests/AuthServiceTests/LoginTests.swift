import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct LoginTests {
    @Test func loginIsCaseInsensitiveOnTheUsername() async throws {
        try await withAuthService { client in
            let user = try await client.register(uniqueUsername("Carol"))
            let reply = try await client.call(.post, "/auth/login", json: ["username": user.username.uppercased(), "password": "correct horse battery"])
            #expect(reply.status == .ok)
            #expect((reply["user"] as? [String: Any])?["id"] as? String == user.id)
        }
    }

    @Test func wrongPasswordAndUnknownUserAreTheSame401() async throws {
        try await withAuthService { client in
            let user = try await client.register()
            let wrong = try await client.call(.post, "/auth/login", json: ["username": user.username, "password": "not the password"])
            let unknown = try await client.call(.post, "/auth/login", json: ["username": uniqueUsername(), "password": "whatever pass"])
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            #expect(wrong.errorCode == "unauthorized")
            #expect(wrong.errorCode == unknown.errorCode)
        }
    }

    @Test func repeatedFailuresLockTheAccountForAWhile() async throws {
        try await withAuthService(settings: ["LOGIN_MAX_FAILURES": "3", "LOGIN_LOCKOUT_SECONDS": "60"]) { client in
            let user = try await client.register()
            for _ in 0..<3 {
                let reply = try await client.call(.post, "/auth/login", json: ["username": user.username, "password": "wrong password"])
                #expect(reply.status == .unauthorized)
            }
            let locked = try await client.call(.post, "/auth/login", json: ["username": user.username, "password": "correct horse battery"])
            #expect(locked.status == .tooManyRequests)
            #expect(locked.errorCode == "rate_limited")
            let retryAfter = try #require(locked.headers[.retryAfter].flatMap(Int.init))
            #expect((1...60).contains(retryAfter))
            let other = try await client.register()
            let unaffected = try await client.call(.post, "/auth/login", json: ["username": other.username, "password": "correct horse battery"])
            #expect(unaffected.status == .ok, "the lockout is per account")
        }
    }

    @Test func protectedEndpointsNeedAValidToken() async throws {
        try await withAuthService { client in
            #expect(try await client.call(.get, "/auth/me").status == .unauthorized)
            #expect(try await client.call(.get, "/auth/me", token: "not.a.token").status == .unauthorized)
            #expect(try await client.call(.get, "/auth/me", headers: [.authorization: "Basic abc"]).status == .unauthorized)
            let reply = try await client.call(.get, "/users/search?q=a")
            #expect(reply.status == .unauthorized)
            #expect(reply.errorCode == "unauthorized")
        }
    }

    @Test func logoutRevokesTheTokenButNotOtherSessions() async throws {
        try await withAuthService { client in
            let user = try await client.register()
            let second = try await client.call(.post, "/auth/login", json: ["username": user.username, "password": "correct horse battery"])
            let secondToken = try #require(second["token"] as? String)
            #expect(try await client.call(.post, "/auth/logout", token: user.token).status == .noContent)
            #expect(try await client.call(.get, "/auth/me", token: user.token).status == .unauthorized)
            #expect(try await client.call(.get, "/auth/me", token: secondToken).status == .ok)
        }
    }

    @Test func tokensExpireAfter24Hours() async throws {
        let clock = TestClock()
        try await withAuthService(clock: clock) { client in
            let user = try await client.register()
            clock.advance(by: 24 * 3600 - 5)
            #expect(try await client.call(.get, "/auth/me", token: user.token).status == .ok)
            clock.advance(by: 10)
            #expect(try await client.call(.get, "/auth/me", token: user.token).status == .unauthorized)
        }
    }

    @Test func healthAndMetricsAnswer() async throws {
        try await withAuthService { client in
            let ready = try await client.call(.get, "/health/ready")
            #expect(ready.status == .ok)
            #expect((ready["checks"] as? [String: String]) == ["postgres": "ok", "redis": "ok"])
            #expect(try await client.call(.get, "/health/live").status == .ok)
            _ = try await client.call(.get, "/auth/me")
            let metrics = try await client.call(.get, "/metrics")
            #expect(metrics.status == .ok)
            #expect(String(decoding: metrics.body, as: UTF8.self).contains("http_server_request_duration"))
        }
    }

    @Test func requestIDsAreEchoedOrCreated() async throws {
        try await withAuthService { client in
            let given = try await client.call(.get, "/health/live", headers: [.init("X-Request-Id")!: "abc-123"])
            #expect(given.headers[.init("X-Request-Id")!] == "abc-123")
            let created = try await client.call(.get, "/health/live", headers: [.init("X-Request-Id")!: "bad\nid"])
            #expect(created.headers[.init("X-Request-Id")!].map { $0 != "bad\nid" && !$0.isEmpty } == true)
        }
    }
}

@Suite struct DependencyOutageTests {
    @Test func redisBeingDownIsA503NotA500() async throws {
        // Nothing listens on port 1: Redis is "down" for this auth instance.
        try await withAuthService(settings: ["REDIS_PORT": "1"]) { client in
            let reply = try await client.call(.post, "/auth/login", json: ["username": "whoever", "password": "whatever pass"])
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.errorCode == "service_unavailable")
            #expect(!String(decoding: reply.body, as: UTF8.self).contains("redis"), "no internals")
            let ready = try await client.call(.get, "/health/ready")
            #expect(ready.status == .serviceUnavailable)
        }
    }
}
