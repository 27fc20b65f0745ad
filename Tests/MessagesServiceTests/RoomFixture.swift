import Foundation
import HummingbirdTesting
import StackSupport
import TestSupport

/// A room made through the gateway with an owner and members, and shortcuts for what the tests
/// below do in it.
struct RoomFixture {
    typealias User = (token: String, id: String, username: String)

    let stack: Stack
    let id: String
    let owner: User
    let members: [User]

    /// A room of `type` whose owner adds `memberCount` registered users.
    static func make(_ stack: Stack, type: String = "private", memberCount: Int = 1) async throws -> RoomFixture {
        let owner = try await stack.gateway.register()
        let created = try await stack.gateway.call(.post, "/rooms", json: ["name": "Room", "type": type], token: owner.token)
        guard let id = created["id"] as? String else { throw TestFailure("room creation failed: \(created.status)") }
        var members: [User] = []
        for _ in 0..<memberCount {
            let member = try await stack.gateway.register()
            let added = try await stack.gateway.call(.post, "/rooms/\(id)/members", json: ["user_id": member.id], token: owner.token)
            guard added.status == .created else { throw TestFailure("adding a member failed: \(added.status)") }
            members.append(member)
        }
        let room = RoomFixture(stack: stack, id: id, owner: owner, members: members)
        // Each addition writes a system message ("bob joined") a moment later: waited for here, so
        // the tests after it see a settled history.
        try await eventually("the members' join messages never appeared") {
            try await room.messages(as: owner, includingSystem: true).messages.count == memberCount
        }
        return room
    }

    var gateway: any TestClientProtocol { stack.gateway }

    func send(_ content: String, as user: User, extra: [String: Any] = [:]) async throws -> APIReply {
        try await gateway.call(.post, "/rooms/\(id)/messages", json: extra.merging(["content": content]) { $1 }, token: user.token)
    }

    /// Sends and returns the stored message, failing the test unless it was accepted.
    func sent(_ content: String, as user: User, extra: [String: Any] = [:]) async throws -> [String: Any] {
        let reply = try await send(content, as: user, extra: extra)
        guard reply.status == .created else { throw TestFailure("send failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))") }
        return reply.json
    }

    /// A page of the room's messages, without system messages unless asked for.
    func messages(as user: User, query: String = "", includingSystem: Bool = false) async throws -> (messages: [[String: Any]], hasMore: Bool) {
        let reply = try await gateway.call(.get, "/rooms/\(id)/messages\(query)", token: user.token)
        guard reply.status == .ok, let messages = reply["messages"] as? [[String: Any]], let hasMore = reply["has_more"] as? Bool else {
            throw TestFailure("listing failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return (includingSystem ? messages : messages.filter { $0["type"] as? String != "system" }, hasMore)
    }
}

extension Dictionary where Key == String, Value == Any {
    var id: String? { self["id"] as? String }
}
