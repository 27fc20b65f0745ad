import Foundation
import HTTPTypes
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

@testable import AuthService

/// Users see their sessions and end them (issue 15, build item 4).
@Suite struct SessionTests {
    @Test func sessionsAreListedNewestFirstWithTheirUserAgentAndTheCurrentOneMarked() async throws {
        let clock = TestClock()
        try await withAuthService(clock: clock) { client in
            let longAgent = "Mozilla/5.0 " + String(repeating: "x", count: 1000)
            let user = try await client.register(headers: [.userAgent: "  Parley-Desktop/1.2  "])
            clock.advance(by: 60)
            let phone = try await client.login(user.username, headers: [.userAgent: longAgent])
            clock.advance(by: 60)
            _ = try await client.login(user.username)

            let reply = try await client.call(.get, "/auth/sessions", token: phone)
            #expect(reply.status == .ok)
            let sessions = try #require(reply["sessions"] as? [[String: Any]])
            #expect(sessions.count == 3)
            #expect(sessions.map { $0["current"] as? Bool } == [false, true, false])
            #expect(sessions[0]["user_agent"] is NSNull, "no User-Agent: null, still present")
            #expect(sessions[1]["user_agent"] as? String == String(longAgent.prefix(256)))
            #expect(sessions[2]["user_agent"] as? String == "Parley-Desktop/1.2")
            let created = sessions.compactMap { ($0["created_at"] as? String).flatMap(Timestamp.parse) }
            #expect(created == created.sorted(by: >), "newest first")
            for session in sessions {
                #expect(session["last_used_at"] is String)
                #expect(session["id"] is String)
            }
        }
    }

    @Test func theUserAgentIsKeptWithoutControlCharacters() {
        #expect(UserAgent.kept("Agent\u{7}/1\u{1B}[31m\u{0}") == "Agent/1[31m")
        #expect(UserAgent.kept(" \u{0}\t ") == nil)
        #expect(UserAgent.kept(nil) == nil)
        #expect(UserAgent.kept(String(repeating: "a", count: 300))?.count == 256)
    }

    @Test func lastUseShowsWithoutAWritePerRequest() async throws {
        let clock = TestClock()
        try await withAuthService(clock: clock) { client in
            let user = try await client.register()
            let other = try await client.login(user.username)
            clock.advance(by: 600)
            let usedAt = clock.now
            #expect(try await client.call(.get, "/auth/me", token: user.token).status == .ok)
            try await eventually("last_used_at never moved") {
                let sessions = try #require((try await client.call(.get, "/auth/sessions", token: other))["sessions"] as? [[String: Any]])
                let first = try #require(sessions.first { $0["current"] as? Bool == false })
                let lastUsed = (first["last_used_at"] as? String).flatMap(Timestamp.parse)
                return lastUsed.map { abs($0.timeIntervalSince(usedAt)) < 0.01 } ?? false
            }
        }
    }

    @Test func endingOneSessionRevokesOnlyThatOne() async throws {
        try await withAuthService { client in
            let user = try await client.register()
            let other = try await client.login(user.username)
            let sessions = try #require((try await client.call(.get, "/auth/sessions", token: user.token))["sessions"] as? [[String: Any]])
            let otherID = try #require(sessions.first { $0["current"] as? Bool == false }?["id"] as? String)

            let stranger = try await client.register()
            #expect(try await client.call(.delete, "/auth/sessions/\(otherID)", token: stranger.token).status == .notFound, "not theirs")
            #expect(try await client.call(.get, "/auth/me", token: other).status == .ok)
            #expect(try await client.call(.delete, "/auth/sessions/\(UUID())", token: user.token).status == .notFound)
            #expect(try await client.call(.delete, "/auth/sessions/not-an-id", token: user.token).status == .notFound)

            #expect(try await client.call(.delete, "/auth/sessions/\(otherID)", token: user.token).status == .noContent)
            #expect(try await client.call(.get, "/auth/me", token: other).status == .unauthorized)
            #expect(try await client.call(.get, "/auth/me", token: user.token).status == .ok)
            let left = try #require((try await client.call(.get, "/auth/sessions", token: user.token))["sessions"] as? [[String: Any]])
            #expect(left.count == 1)
        }
    }

    @Test func endingAllOtherSessionsKeepsTheCurrentOne() async throws {
        try await withAuthService { client in
            let user = try await client.register()
            let others = [try await client.login(user.username), try await client.login(user.username)]
            #expect(try await client.call(.delete, "/auth/sessions", token: user.token).status == .noContent)
            for token in others {
                #expect(try await client.call(.get, "/auth/me", token: token).status == .unauthorized)
            }
            #expect(try await client.call(.get, "/auth/me", token: user.token).status == .ok)
            let left = try #require((try await client.call(.get, "/auth/sessions", token: user.token))["sessions"] as? [[String: Any]])
            #expect(left.map { $0["current"] as? Bool } == [true])
        }
    }

    /// A logout whose Redis write failed left the session revoked in Postgres only: the token
    /// still worked everywhere, and a second logout found it revoked and never wrote Redis again.
    @Test func aLogoutWhoseRedisWriteFailedCanBeRetried() async throws {
        let overrides = try await TestEnvironment.serviceOverrides()
        try await withServicesGate {
            try await runAuthService(overrides) { client in
                let user = try await client.register()
                // What the failed logout left behind: revoked in Postgres, unknown to Redis.
                try await withAuthDatabase(overrides) { db in
                    _ = try await db.query("UPDATE sessions SET revoked_at = now() WHERE user_id = \(UUID(uuidString: user.id)!)", logger: testLogger)
                }
                #expect(try await client.call(.get, "/auth/me", token: user.token).status == .ok)
                #expect(try await client.call(.post, "/auth/logout", token: user.token).status == .noContent)
                #expect(try await client.call(.get, "/auth/me", token: user.token).status == .unauthorized)
            }
        }
    }

    /// A session's row goes once its token has expired (a quarter of a token's lifetime later at
    /// most); a live one stays, and so does its token.
    @Test func expiredSessionsAreDeleted() async throws {
        let clock = TestClock()
        let overrides = try await TestEnvironment.serviceOverrides(["TOKEN_LIFETIME_SECONDS": "3600"])
        try await withServicesGate {
            try await runAuthService(overrides, clock: clock) { client in
                let user = try await client.register()
                clock.advance(by: 1800)
                let later = try await client.login(user.username)
                clock.advance(by: 1801)
                let userID = try #require(UUID(uuidString: user.id))
                try await eventually("the expired session stayed") {
                    try await withAuthDatabase(overrides) { db in
                        try await db.query("SELECT count(*) FROM sessions WHERE user_id = \(userID)", logger: testLogger).all(Int.self).first == 1
                    }
                }
                #expect(try await client.call(.get, "/auth/me", token: later).status == .ok)
                #expect(try await client.call(.get, "/auth/me", token: user.token).status == .unauthorized)
            }
        }
    }
}
