import Foundation
import HummingbirdTesting

/// A user as the tests hold one: a token, the id and the username.
public typealias TestUser = (token: String, id: String, username: String)

/// Where a `RoomFixture`'s room lives: the whole stack, through the gateway (`Stack`), or messages
/// alone with rooms stood in for (`MessagesStack` in MessagesServiceTests).
public protocol RoomHost: Sendable {
    /// Where messages' REST API answers: the gateway, or messages itself.
    var messagesAPI: any TestClientProtocol { get }
    func register() async throws -> TestUser
    /// A new room of `type` (`public` or `private`) of `owner`'s; its id.
    func createRoom(type: String, owner: TestUser) async throws -> String
    /// `owner` adds `member`: messages then writes its system message ("bob joined").
    func add(_ member: TestUser, to room: String, by owner: TestUser) async throws
}

/// A room with an owner and members, and shortcuts for what tests of messages do in it.
public struct RoomFixture: Sendable {
    public typealias User = TestUser

    public let host: any RoomHost
    public let id: String
    public let owner: User
    public let members: [User]

    /// A room of `type` whose owner adds `memberCount` registered users.
    public static func make(_ host: any RoomHost, type: String = "private", memberCount: Int = 1) async throws -> RoomFixture {
        let owner = try await host.register()
        let id = try await host.createRoom(type: type, owner: owner)
        var members: [User] = []
        for _ in 0..<memberCount {
            let member = try await host.register()
            try await host.add(member, to: id, by: owner)
            members.append(member)
        }
        let room = RoomFixture(host: host, id: id, owner: owner, members: members)
        // Each addition writes a system message ("bob joined") once messages hears of it: waited
        // for here, so the tests after it see a settled history.
        try await eventually("the members' join messages never appeared") {
            try await room.messages(as: owner, includingSystem: true).messages.count == memberCount
        }
        return room
    }

    public var api: any TestClientProtocol { host.messagesAPI }

    public func send(_ content: String, as user: User, extra: [String: Any] = [:]) async throws -> APIReply {
        try await api.call(.post, "/rooms/\(id)/messages", json: extra.merging(["content": content]) { $1 }, token: user.token)
    }

    /// Sends and returns the stored message, failing the test unless it was accepted.
    public func sent(_ content: String, as user: User, extra: [String: Any] = [:]) async throws -> [String: Any] {
        let reply = try await send(content, as: user, extra: extra)
        guard reply.status == .created else { throw TestFailure("send failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))") }
        return reply.json
    }

    /// A page of the room's messages, without system messages unless asked for.
    public func messages(as user: User, query: String = "", includingSystem: Bool = false) async throws -> (messages: [[String: Any]], hasMore: Bool) {
        let reply = try await api.call(.get, "/rooms/\(id)/messages\(query)", token: user.token)
        guard reply.status == .ok, let messages = reply["messages"] as? [[String: Any]], let hasMore = reply["has_more"] as? Bool else {
            throw TestFailure("listing failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return (includingSystem ? messages : messages.filter { $0["type"] as? String != "system" }, hasMore)
    }
}

extension Dictionary where Key == String, Value == Any {
    public var id: String? { self["id"] as? String }
}
