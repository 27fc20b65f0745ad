import Foundation
import HummingbirdTesting
import StackSupport
import TestSupport

/// Users, rooms and messages made through the gateway, and the notifications they cause.
struct NotifyFixture {
    typealias User = (token: String, id: String, username: String)

    let stack: Stack
    var gateway: any TestClientProtocol { stack.gateway }

    func user() async throws -> User {
        try await gateway.register()
    }

    /// A public room the others join themselves (joining notifies nobody).
    func publicRoom(_ owner: User, joiners: [User] = []) async throws -> String {
        let created = try await gateway.call(.post, "/rooms", json: ["name": "notify-\(UUID().uuidString.prefix(8))", "type": "public"], token: owner.token)
        guard let id = created["id"] as? String else { throw TestFailure("room creation failed: \(created.status)") }
        for joiner in joiners {
            let joined = try await gateway.call(.post, "/rooms/\(id)/join", json: [:], token: joiner.token)
            guard joined.status == .ok else { throw TestFailure("joining failed: \(joined.status)") }
        }
        return id
    }

    func directRoom(_ first: User, with second: User) async throws -> String {
        let reply = try await gateway.call(.post, "/rooms", json: ["type": "direct", "user_id": second.id], token: first.token)
        guard let id = reply["id"] as? String else { throw TestFailure("direct room failed: \(reply.status)") }
        return id
    }

    func setLevel(_ level: String, in room: String, for user: User) async throws {
        let reply = try await gateway.call(.put, "/rooms/\(room)/notifications", json: ["level": level], token: user.token)
        guard reply.status == .ok else { throw TestFailure("setting the level failed: \(reply.status)") }
    }

    /// Sends `content` and returns the message's id.
    @discardableResult
    func send(_ content: String, in room: String, as user: User, extra: [String: Any] = [:]) async throws -> String {
        try await gateway.sendMessage(content, in: room, token: user.token, extra: extra)
    }

    /// `GET /notifications` with `query` (`unread=true&limit=2`, ...).
    func fetch(_ user: User, query: String = "") async throws -> APIReply {
        try await gateway.call(.get, "/notifications" + (query.isEmpty ? "" : "?" + query), token: user.token)
    }

    /// The user's notifications (first page, newest first).
    func notifications(of user: User, query: String = "") async throws -> [[String: Any]] {
        let reply = try await fetch(user, query: query)
        guard reply.status == .ok, let list = reply["notifications"] as? [[String: Any]] else {
            throw TestFailure("listing notifications failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return list
    }

    func unreadCount(of user: User) async throws -> Int? {
        try await fetch(user)["unread_count"] as? Int
    }

    /// Waits until the user has exactly `count` notifications, and returns them.
    @discardableResult
    func waitForNotifications(of user: User, count: Int) async throws -> [[String: Any]] {
        var list: [[String: Any]] = []
        try await eventually("never had \(count) notifications; had \(list.map { $0["title"] ?? "?" })") {
            list = try await notifications(of: user)
            return list.count == count
        }
        return list
    }
}

extension Dictionary where Key == String, Value == Any {
    var type: String? { self["type"] as? String }
    var messageID: String? { self["message_id"] as? String }
}
