import AuthAPI
import CallsAPI
import Foundation
import HummingbirdTesting
import NeighbourFakes
import NotifyService
import RoomsAPI
import ServiceKit
import TestSupport

/// A live notify service alone, on a fresh database and the test Redis. Its neighbours are stood
/// in for as their contracts say: auth by `TestTokens` and `TestUserDirectory`, rooms by
/// `RoomsStandIn` (members, levels, blocks; `member_joined` delivered when someone is added),
/// messages by `MessagesStandIn` (its events delivered, mentions worked out as messages does).
/// Each event is applied when its delivery is acknowledged, so what it causes is there at once.
/// `JourneyTests/NotificationJourneyTests` runs notify with the real services and gateways.
struct NotifyFixture: Sendable {
    typealias User = (token: String, id: String, username: String)

    let service: any TestClientProtocol
    let tokens: TestTokens
    let users: TestUserDirectory
    let rooms: RoomsStandIn
    /// The test database notify's schema is in.
    let database: String?
    let messages = MessagesStandIn()

    func user() async throws -> User {
        try await users.signUp(prefix: "user_", tokens: tokens)
    }

    /// A public room of `owner`'s that the others joined themselves (joining notifies nobody).
    func publicRoom(_ owner: User, joiners: [User] = []) async throws -> String {
        let room = try await rooms.create("public", name: "notify-\(UUID().uuidString.prefix(8))", owner: Self.id(owner))
        for joiner in joiners { try await rooms.add(Self.id(joiner), to: room) }
        return room.apiString
    }

    func privateRoom(_ owner: User, named name: String) async throws -> String {
        try await rooms.create("private", name: name, owner: Self.id(owner)).apiString
    }

    /// A direct room, named as rooms names one: its two usernames.
    func directRoom(_ first: User, with second: User) async throws -> String {
        let room = try await rooms.create("direct", name: [first.username, second.username].sorted().joined(separator: ", "), owner: Self.id(first))
        try await rooms.add(Self.id(second), to: room)
        return room.apiString
    }

    /// `actor` adds `member` to `room`: rooms' `member_joined` (`via: added`) is delivered.
    func add(_ member: User, to room: String, by actor: User) async throws {
        let roomID = UUID(uuidString: room)!
        try await rooms.add(Self.id(member), to: roomID)
        guard let user = try await users.users([Self.id(member)]).values.first else { throw TestFailure("\(member.id) is not a user") }
        let joined = MemberJoined(roomId: roomID, roomType: "private", user: user, role: "member", via: "added", actorId: Self.id(actor))
        try await service.deliver([try .made(RoomEventType.memberJoined.rawValue, stream: roomID, payload: joined)])
    }

    func setLevel(_ level: String, in room: String, for user: User) async throws {
        try await rooms.setLevel(level, of: Self.id(user), in: UUID(uuidString: room)!)
    }

    func block(_ blocked: User, by blocker: User) async throws {
        try await rooms.block(Self.id(blocked), by: Self.id(blocker))
    }

    /// Delivers calls' `call_started` for a `kind` call by `caller` in `room` ringing `ringing`;
    /// returns the call's id (`id`, or a new one).
    @discardableResult
    func call(_ kind: String, in room: String, by caller: User, ringing: [User], id: UUID = UUID()) async throws -> UUID {
        let (roomID, now) = (UUID(uuidString: room)!, Date())
        let participants = ([caller] + ringing).map { CallParticipant(userId: Self.id($0), state: $0 == caller ? "joined" : "ringing", joinedAt: nil, leftAt: nil) }
        let call = Call(
            id: id, roomId: roomID, kind: kind, startedBy: Self.id(caller), status: "ringing", createdAt: now,
            ringUntil: now.addingTimeInterval(45), answeredAt: nil, endedAt: nil, participants: participants)
        let started = CallChanged(roomId: roomID, call: call, ringingUserIds: ringing.map(Self.id), callerName: caller.username)
        try await service.deliver([try .made(CallEventType.started.rawValue, stream: roomID, payload: started)])
        return call.id
    }

    /// Delivers `message_created` for `content` sent by `user` (a reply to `parent`), mentioning
    /// whom its `@names` name (`@room` and `@here`: the room), as messages would; returns its id.
    @discardableResult
    func send(_ content: String, in room: String, as user: User, parent: String? = nil) async throws -> String {
        let (mentions, roomWide) = try await mentions(in: content)
        guard let sender = try await users.users([Self.id(user)]).values.first else { throw TestFailure("\(user.id) is not a user") }
        let (event, id) = try messages.created(
            content, in: UUID(uuidString: room)!, by: sender, parent: parent.flatMap(UUID.init(uuidString:)), mentioning: mentions,
            mentionsRoom: roomWide)
        try await service.deliver([event])
        return id.apiString
    }

    /// Delivers `message_updated` for message `id` edited to `content`.
    func edit(_ id: String, to content: String) async throws {
        try await service.deliver([try messages.updated(UUID(uuidString: id)!, to: content, mentioning: try await mentions(in: content).users)])
    }

    func delete(_ id: String) async throws {
        try await service.deliver([try messages.deleted(UUID(uuidString: id)!)])
    }

    /// The users `content`'s `@names` name, and whether it names the room (`@room`, `@here`).
    private func mentions(in content: String) async throws -> (users: [UUID], room: Bool) {
        let names = content.split(whereSeparator: { $0.isWhitespace }).compactMap { word -> String? in
            guard word.hasPrefix("@") else { return nil }
            let name = word.dropFirst().prefix { $0.isLetter || $0.isNumber || $0 == "_" }
            return name.isEmpty ? nil : name.lowercased()
        }
        let named = try await users.users(named: names.filter { $0 != "room" && $0 != "here" })
        return (named.values.map(\.id), names.contains("room") || names.contains("here"))
    }

    /// `GET /notifications` with `query` (`unread=true&limit=2`, ...).
    func fetch(_ user: User, query: String = "") async throws -> APIReply {
        try await service.call(.get, "/notifications" + (query.isEmpty ? "" : "?" + query), token: user.token)
    }

    /// The user's notifications (first page, newest first).
    func notifications(of user: User, query: String = "") async throws -> [[String: Any]] {
        let reply = try await fetch(user, query: query)
        guard reply.status == .ok, let list = reply["notifications"] as? [[String: Any]] else {
            throw TestFailure("listing notifications failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return list
    }

    /// The user's notifications, which must be `count`.
    func notifications(of user: User, count: Int) async throws -> [[String: Any]] {
        let list = try await notifications(of: user)
        guard list.count == count else { throw TestFailure("\(list.count) notifications, not \(count): \(list.map { $0["title"] ?? "?" })") }
        return list
    }

    func unreadCount(of user: User) async throws -> Int? {
        try await fetch(user)["unread_count"] as? Int
    }

    static func id(_ user: User) -> UUID { UUID(uuidString: user.id)! }
}

/// Runs `body` with notify alone (see `NotifyFixture`), on `clock`.
func withNotify<T: Sendable>(
    settings extra: [String: String] = [:], clock: WallClock = .system, _ body: @escaping @Sendable (NotifyFixture) async throws -> T
) async throws -> T {
    try await withServicesGate {
        let overrides = try await TestEnvironment.serviceOverrides(extra)
        let settings = NotifySettings(reader: TestEnvironment.reader(overrides))
        let (tokens, users) = (TestTokens(), TestUserDirectory())
        // Rooms' access epochs, in the service's Redis namespace.
        let rooms = RoomsStandIn(epochs: AccessEpochs(redis: RedisClient(settings: settings.service.redis)))
        let notify = try await NotifyService.buildApplication(
            settings: settings, clock: clock, neighbours: NotifyNeighbours(tokenKeys: tokens, users: users, rooms: rooms.directory))
        return try await notify.test(.live) { client in
            try await body(NotifyFixture(service: client, tokens: tokens, users: users, rooms: rooms, database: overrides["POSTGRES_DATABASE"]))
        }
    }
}

extension Dictionary where Key == String, Value == Any {
    var type: String? { self["type"] as? String }
    var messageID: String? { self["message_id"] as? String }
}
