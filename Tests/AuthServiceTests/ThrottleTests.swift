import Foundation
import HTTPTypes
import ServiceKit
import Testing
import TestSupport

/// Issue 15, row 3: guesses are counted before they are checked, per account and address and per
/// address, so they cannot be raced past the limit nor turned against the owner.
@Suite struct ThrottleTests {
    @Test func concurrentWrongPasswordsAreRefusedOnceTheBudgetIsSpent() async throws {
        try await withAuthService(settings: ["LOGIN_MAX_FAILURES": "5", "LOGIN_LOCKOUT_SECONDS": "900"]) { client in
            let owner = try await client.register()
            let attacker = uniqueAddress()
            let replies = try await concurrently(port: try #require(client.port), count: 40, path: "/auth/login", address: attacker) { _ in
                ["username": owner.username, "password": "not the password"]
            }
            #expect(replies.filter { $0.status == 401 }.count == 5, "only the budget's attempts reach bcrypt")
            let refused = replies.filter { $0.status == 429 }
            #expect(refused.count == 35)
            for reply in refused {
                #expect((1...900).contains(reply.retryAfter ?? 0))
                #expect(reply.body.contains("paused until"))
            }
            let paused = try await client.call(
                .post, "/auth/login", json: ["username": owner.username, "password": "correct horse battery"], headers: from(attacker))
            #expect(paused.status == .tooManyRequests, "the right password from the guessing address waits too")
            #expect(paused.errorCode == "rate_limited")
            let message = try #require((paused["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("this account from your address is paused until"))

            let elsewhere = try await client.call(
                .post, "/auth/login", json: ["username": owner.username, "password": "correct horse battery"], headers: from(uniqueAddress()))
            #expect(elsewhere.status == .ok, "the owner elsewhere is never refused because of someone else's guesses")
        }
    }

    @Test func oneAddressGuessingAcrossAccountsRunsOutOfAttempts() async throws {
        try await withAuthService(settings: ["LOGIN_MAX_FAILURES": "5", "LOGIN_ADDRESS_MAX_FAILURES": "3"]) { client in
            let users = [try await client.register(), try await client.register(), try await client.register(), try await client.register()]
            let attacker = uniqueAddress()
            for user in users.prefix(3) {
                let reply = try await client.call(.post, "/auth/login", json: ["username": user.username, "password": "wrong password"], headers: from(attacker))
                #expect(reply.status == .unauthorized)
            }
            let fourth = try await client.call(.post, "/auth/login", json: ["username": users[3].username, "password": "wrong password"], headers: from(attacker))
            #expect(fourth.status == .tooManyRequests, "the address spent its budget across accounts")
            #expect(try await client.call(
                .post, "/auth/login", json: ["username": users[3].username, "password": "correct horse battery"], headers: from(uniqueAddress())).status == .ok)
        }
    }

    @Test func aSuccessGivesTheAddressItsAttemptBack() async throws {
        try await withAuthService(settings: ["LOGIN_ADDRESS_MAX_FAILURES": "2"]) { client in
            let user = try await client.register()
            let office = uniqueAddress()
            // Many people behind one address signing in rightly never use the address's budget up.
            for _ in 0..<5 { _ = try await client.login(user.username, headers: from(office)) }
            #expect(try await client.call(.post, "/auth/login", json: ["username": user.username, "password": "wrong password"], headers: from(office)).status == .unauthorized)
            #expect(try await client.call(.post, "/auth/login", json: ["username": user.username, "password": "wrong password"], headers: from(office)).status == .unauthorized)
            #expect(try await client.call(.post, "/auth/login", json: ["username": user.username, "password": "correct horse battery"], headers: from(office)).status == .tooManyRequests)
        }
    }

    @Test func concurrentWrongTwoFactorCodesAtLoginAreThrottledLikePasswords() async throws {
        let clock = TestClock(Date(timeIntervalSince1970: 1_800_000_000))
        try await withAuthService(clock: clock, settings: ["LOGIN_MAX_FAILURES": "3"]) { client in
            let user = try await client.register()
            let secret = try await TwoFactorTests.enable(for: user, client: client, clock: clock)
            let attacker = uniqueAddress()
            let replies = try await concurrently(port: try #require(client.port), count: 20, path: "/auth/login", address: attacker) { _ in
                ["username": user.username, "password": "correct horse battery", "totp_code": "000000"]
            }
            #expect(replies.filter { $0.status == 401 }.count == 3)
            #expect(replies.filter { $0.status == 429 }.count == 17)

            clock.advance(by: 30)
            let login: [String: Any] = ["username": user.username, "password": "correct horse battery", "totp_code": try TwoFactorTests.code(secret: secret, at: clock.now)]
            #expect(try await client.call(.post, "/auth/login", json: login, headers: from(attacker)).status == .tooManyRequests)
            #expect(try await client.call(.post, "/auth/login", json: login, headers: from(uniqueAddress())).status == .ok)
        }
    }

    @Test func concurrentWrongPasswordsAtTheSecuritySettingsShareOneBudget() async throws {
        try await withAuthService(settings: ["LOGIN_MAX_FAILURES": "3"]) { client in
            let user = try await client.register()
            // The password change and the 2FA settings draw on one budget per user: half here, half there.
            let replies = try await concurrently(port: try #require(client.port), count: 12, path: "/auth/password", token: user.token) { _ in
                ["current_password": "wrong password", "new_password": "new password 1"]
            } + concurrently(port: try #require(client.port), count: 12, path: "/auth/2fa/disable", token: user.token) { _ in
                ["code": "123456", "password": "wrong password"]
            }
            #expect(replies.filter { $0.status == 401 }.count == 3)
            #expect(replies.filter { $0.status == 429 }.count == 21)
            let right = try await client.call(
                .post, "/auth/password", json: ["current_password": "correct horse battery", "new_password": "new password 1"], token: user.token)
            #expect(right.status == .tooManyRequests, "even the right password waits once the budget is spent")
            #expect(try await client.login(user.username).isEmpty == false, "signing in is a budget of its own")
        }
    }
}
