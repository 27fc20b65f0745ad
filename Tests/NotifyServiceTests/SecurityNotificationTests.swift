import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import StackSupport
import Testing
import TestSupport

/// Auth's `login_locked` becomes a `security` notification for the account's owner (issue 15,
/// row 3: a locked account is announced rather than silently refused).
@Suite struct SecurityNotificationTests {
    /// Wrong passwords for `user` until the account is paused for the address `login` sends from.
    static func guessUntilPaused(_ user: NotifyFixture.User, login: ([String: Any]) async throws -> HTTPResponse.Status) async throws {
        for _ in 0..<20 {
            let status = try await login(["username": user.username, "password": "not the password"])
            if status == .tooManyRequests { return }
            #expect(status == .unauthorized)
        }
        throw TestFailure("never paused")
    }

    @Test func aPausedSignInIsAnnouncedToTheOwnerOncePerPause() async throws {
        try await withStack { stack in
            let notify = NotifyFixture(stack: stack)
            let owner = try await notify.user()
            // Through the gateway, from wherever it says the client is.
            let throughGateway: ([String: Any]) async throws -> HTTPResponse.Status = { body in
                try await stack.gateway.call(.post, "/auth/login", json: body, headers: [.init("X-Forwarded-For")!: "203.0.113.7"]).status
            }
            try await Self.guessUntilPaused(owner, login: throughGateway)
            // More guesses while paused announce nothing more.
            for _ in 0..<3 { #expect(try await throughGateway(["username": owner.username, "password": "not the password"]) == .tooManyRequests) }
            // A second pause from another address, later on auth's stream of the owner: once its
            // notification is there, a second one of the first pause would be too.
            let authURL = try #require(stack.serviceURLs["auth"])
            try await Self.guessUntilPaused(owner) { body in
                var request = HTTPClientRequest(url: authURL + "/auth/login")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "X-Forwarded-For", value: "198.51.100.9")
                request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
                return HTTPResponse.Status(code: Int(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code))
            }

            let list = try await notify.waitForNotifications(of: owner, count: 2)
            #expect(list.allSatisfy { $0.type == "security" })
            #expect((list.first?["content"] as? String)?.contains("198.51.100.9") == true)
            let first = try #require(list.last)
            #expect(first["title"] as? String == "Sign-in attempts paused")
            let content = try #require(first["content"] as? String)
            #expect(content.contains("5 failed sign-in attempts") && content.contains("paused until"))
            #expect(!content.contains("198.51.100.9"))
            #expect(first["link"] as? String == "/#/settings")
            for key in ["room_id", "room_name", "room_type", "message_id", "thread_id", "actor"] {
                #expect(first[key] is NSNull, "\(key) is null: a security notification is about no room")
            }
            #expect(try await notify.unreadCount(of: owner) == 2)
        }
    }
}
