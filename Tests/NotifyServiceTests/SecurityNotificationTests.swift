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

    @Test func aPausedSignInIsAnnouncedToTheOwnerOncePerWindow() async throws {
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
            let list = try await notify.waitForNotifications(of: owner, count: 1)
            let first = try #require(list.first)
            #expect(first["type"] as? String == "security")
            #expect(first["title"] as? String == "Sign-in attempts paused")
            let content = try #require(first["content"] as? String)
            #expect(content.contains("5 failed sign-in attempts") && content.contains("paused until"))
            // The gateway believes no client's X-Forwarded-For: the address is the one it saw.
            #expect(content.contains("127.0.0.1") && !content.contains("203.0.113.7"))
            #expect(first["link"] as? String == "/#/settings")
            for key in ["room_id", "room_name", "room_type", "message_id", "thread_id", "actor"] {
                #expect(first[key] is NSNull, "\(key) is null: a security notification is about no room")
            }

            // A second pause from another address within the window is not announced again: many
            // guessing addresses must not flood the owner. Auth's events reach notify in order, so
            // once a later pause of someone else is announced, one of the owner's would be too.
            let authURL = try #require(stack.serviceURLs["auth"])
            let directly: (String) -> ([String: Any]) async throws -> HTTPResponse.Status = { address in
                { body in
                    var request = HTTPClientRequest(url: authURL + "/auth/login")
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    request.headers.add(name: "X-Forwarded-For", value: address)
                    request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
                    return HTTPResponse.Status(code: Int(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status.code))
                }
            }
            try await Self.guessUntilPaused(owner, login: directly("198.51.100.9"))
            let bystander = try await notify.user()
            try await Self.guessUntilPaused(bystander, login: directly("198.51.100.10"))
            _ = try await notify.waitForNotifications(of: bystander, count: 1)
            #expect(try await notify.unreadCount(of: owner) == 1)
        }
    }
}
