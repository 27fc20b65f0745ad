import AsyncHTTPClient
import Foundation
import HTTPTypes
import NIOCore
import StackSupport
import Testing
import TestSupport

/// Notifications with the real services around notify: auth's `login_locked` becoming a `security`
/// notification (issue 15, row 3: a locked account is announced rather than silently refused),
/// and a notification reaching every session of its recipient live, across two gateways.
@Suite struct NotificationJourneyTests {
    typealias User = (token: String, id: String, username: String)

    /// Wrong passwords for `user` until the account is paused for the address `login` sends from.
    static func guessUntilPaused(_ user: User, login: ([String: Any]) async throws -> HTTPResponse.Status) async throws {
        for _ in 0..<20 {
            let status = try await login(["username": user.username, "password": "not the password"])
            if status == .tooManyRequests { return }
            #expect(status == .unauthorized)
        }
        throw TestFailure("never paused")
    }

    @Test func aPausedSignInIsAnnouncedToTheOwnerOncePerWindow() async throws {
        try await withStack { stack in
            let notify = GatewayNotifications(stack: stack)
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

    @Test func everySessionOfTheRecipientHearsLiveAndCountsStayInStep() async throws {
        try await withStack(secondGateway: true) { stack in
            let notify = GatewayNotifications(stack: stack)
            let (alice, bob, carol) = (try await notify.user(), try await notify.user(), try await notify.user())
            let room = try await notify.publicRoom(alice, joiners: [bob, carol])
            // Two devices, on two gateway instances.
            let phone = try await LiveSocket(port: stack.gatewayPort, token: bob.token)
            let laptop = try await LiveSocket(port: try #require(stack.secondGatewayPort), token: bob.token)
            let bystander = try await LiveSocket(port: stack.gatewayPort, token: carol.token)
            defer { Task { await phone.close(); await laptop.close(); await bystander.close() } }

            let first = try await notify.send("@\(bob.username) ping", in: room, as: alice)
            try await notify.send("@\(bob.username) again", in: room, as: alice)
            var newest: String?
            for session in [phone, laptop] {
                let frame = try await session.waitFor("notification") { ($0["unread_count"] as? Int) == 2 }
                let data = try #require(frame["data"] as? [String: Any])
                #expect((data["notification"] as? [String: Any])?["type"] as? String == "mention")
                newest = (data["notification"] as? [String: Any])?["id"] as? String
                #expect(session.received("notification").count == 2)
            }
            let firstID = try #require(try await notify.notifications(of: bob).first { $0["message_id"] as? String == first }?["id"] as? String)

            // Read on one device: both hear the new count.
            #expect(try await stack.gateway.call(.patch, "/notifications/\(firstID)/read", token: bob.token).status == .ok)
            for session in [phone, laptop] {
                try await session.waitFor("notifications_read") {
                    ($0["notification_ids"] as? [String]) == [firstID] && ($0["unread_count"] as? Int) == 1
                }
            }
            #expect(try await stack.gateway.call(.patch, "/notifications/read-all", token: bob.token).status == .ok)
            let newestID = try #require(newest)
            for session in [phone, laptop] {
                try await session.waitFor("notifications_read") { ($0["notification_ids"] as? [String]) == [newestID] && ($0["unread_count"] as? Int) == 0 }
            }

            // A withdrawn notification: its message deleted before Bob read it.
            let third = try await notify.send("@\(bob.username) oops", in: room, as: alice)
            for session in [phone, laptop] { try await session.waitFor("notification") { ($0["unread_count"] as? Int) == 1 } }
            #expect(try await stack.gateway.call(.delete, "/messages/\(third)", token: alice.token).status == .noContent)
            for session in [phone, laptop] { try await session.waitFor("notifications_removed") { ($0["unread_count"] as? Int) == 0 } }
            #expect(bystander.received("notification").isEmpty && bystander.received("notifications_read").isEmpty)
        }
    }
}

/// Users, rooms and messages made through the gateway, and the notifications they cause.
struct GatewayNotifications {
    let stack: Stack

    func user() async throws -> NotificationJourneyTests.User {
        try await stack.gateway.register()
    }

    /// A public room the others join themselves.
    func publicRoom(_ owner: NotificationJourneyTests.User, joiners: [NotificationJourneyTests.User]) async throws -> String {
        let created = try await stack.gateway.call(.post, "/rooms", json: ["name": "notify-journey", "type": "public"], token: owner.token)
        guard let id = created["id"] as? String else { throw TestFailure("room creation failed: \(created.status)") }
        for joiner in joiners {
            guard try await stack.gateway.call(.post, "/rooms/\(id)/join", json: [:], token: joiner.token).status == .ok else {
                throw TestFailure("joining failed")
            }
        }
        return id
    }

    @discardableResult
    func send(_ content: String, in room: String, as user: NotificationJourneyTests.User) async throws -> String {
        try await stack.gateway.sendMessage(content, in: room, token: user.token)
    }

    /// The user's notifications (first page, newest first).
    func notifications(of user: NotificationJourneyTests.User) async throws -> [[String: Any]] {
        let reply = try await stack.gateway.call(.get, "/notifications", token: user.token)
        guard reply.status == .ok, let list = reply["notifications"] as? [[String: Any]] else { throw TestFailure("listing failed: \(reply.status)") }
        return list
    }

    func unreadCount(of user: NotificationJourneyTests.User) async throws -> Int? {
        try await stack.gateway.call(.get, "/notifications", token: user.token)["unread_count"] as? Int
    }

    /// Waits until the user has exactly `count` notifications (notify follows the producers' events), and returns them.
    @discardableResult
    func waitForNotifications(of user: NotificationJourneyTests.User, count: Int) async throws -> [[String: Any]] {
        var list: [[String: Any]] = []
        try await eventually("never had \(count) notifications") {
            list = try await notifications(of: user)
            return list.count == count
        }
        return list
    }
}
