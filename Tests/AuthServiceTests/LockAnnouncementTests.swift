import AuthAPI
import Foundation
import ServiceKit
import Testing
import TestSupport

/// A paused account is announced to its owner (`login_locked`, for notify) instead of silently
/// refused, once per pause.
@Suite struct LockAnnouncementTests {
    @Test func theAttemptThatSpendsTheBudgetAnnouncesThePauseOnce() async throws {
        let recorder = EventRecorder()
        let clock = TestClock()
        try await recorder.serve { port in
            try await withAuthService(clock: clock, settings: [
                "LOGIN_MAX_FAILURES": "5", "LOGIN_LOCKOUT_SECONDS": "900", "EVENT_SUBSCRIBERS": "recorder=http://127.0.0.1:\(port)",
            ]) { client in
                let owner = try await client.register()
                let attacker = uniqueAddress()
                let started = Date()
                let replies = try await concurrently(port: try #require(client.port), count: 12, path: "/auth/login", address: attacker) { _ in
                    ["username": owner.username, "password": "not the password"]
                }
                #expect(replies.filter { $0.status == 429 }.count == 7)
                // Unknown accounts have no owner to tell.
                for _ in 0..<6 {
                    _ = try await client.call(.post, "/auth/login", json: ["username": uniqueUsername(), "password": "whatever pass"], headers: from(attacker))
                }
                // A later event of the owner's stream: once it is there, every earlier one is too.
                _ = try await client.call(.patch, "/users/me", json: ["status": "busy"], token: owner.token)
                let updated = try #require(try await recorder.waitFor(1) { $0.type == AuthEventType.userUpdated.rawValue }.first)
                let user = try #require(updated.payload(as: UserUpdated.self, logger: testLogger)).user
                #expect(user.id.apiString == owner.id && user.username == owner.username && user.status == "busy")

                let locks = recorder.events.filter { $0.type == "login_locked" }
                #expect(locks.count == 1)
                let event = try #require(locks.first)
                #expect(event.stream == owner.id)
                // As AuthAPI defines it, for notify.
                let lock = try #require(event.payload(as: LoginLocked.self, logger: testLogger))
                #expect(lock.userId.apiString == owner.id)
                // As the limits count it: the attacker's IPv6 network.
                #expect(lock.address == TrustedProxies.limitKey(attacker))
                #expect(lock.failedAttempts == 5)
                // The window runs in Redis from the first failure: it ends 900 s after it, give or
                // take the time the attempts took.
                let until = lock.lockedUntil
                let early = until.timeIntervalSince(clock.now.addingTimeInterval(900))
                #expect(early <= 1 && early >= -(Date().timeIntervalSince(started) + 1))
            }
        }
    }
}
