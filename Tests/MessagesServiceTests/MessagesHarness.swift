import AuthAPI
import Foundation
import HummingbirdTesting
import MessagesService
import NeighbourFakes
import RoomsAPI
import ServiceKit
import TestSupport

/// A live messages service alone, on a fresh database and the test Redis. Its neighbours are
/// stood in for as their contracts say: auth by `TestTokens` and `TestUserDirectory`; rooms by
/// `RoomsStandIn`, whose changes this stack also tells messages as rooms' events would
/// (`member_joined`, `member_removed`, `member_banned`: messages writes their system messages);
/// media by an `AttachmentRegistryStub` that finds no attachment of the sender's. (The contract
/// tests hold the real neighbours to the same protocols and types; `JourneyTests` send messages
/// through the whole stack.)
struct MessagesStack: RoomHost {
    let messages: any TestClientProtocol
    let tokens: TestTokens
    let users: TestUserDirectory
    let rooms: RoomsStandIn
    /// What this instance runs with, for a test that starts another beside it.
    let settings: [String: String]
    let neighbours: MessagesNeighbours

    var messagesAPI: any TestClientProtocol { messages }

    func register() async throws -> TestUser {
        try await users.signUp(prefix: "m_", tokens: tokens)
    }

    func createRoom(type: String, owner: TestUser) async throws -> String {
        try await rooms.create(type, name: "Room", owner: Self.id(owner)).apiString
    }

    func add(_ member: TestUser, to room: String, by owner: TestUser) async throws {
        try await join(member, room, via: "added", actor: owner)
    }

    /// `user` joins `room` (`via` `added` by `actor`, or `join`ed by themselves).
    func join(_ user: TestUser, _ room: String, via: String = "join", actor: TestUser? = nil) async throws {
        let roomID = UUID(uuidString: room)!
        try await rooms.add(Self.id(user), to: roomID)
        guard let summary = try await users.user(Self.id(user)) else { throw TestFailure("\(user.id) is not a user") }
        try await tell(RoomEventType.memberJoined, in: roomID, MemberJoined(
            roomId: roomID, roomType: try await roomType(roomID), user: summary, role: "member", via: via, actorId: actor.map(Self.id)))
    }

    /// `admin` removes `member` from `room`.
    func remove(_ member: TestUser, from room: String, by admin: TestUser) async throws {
        let roomID = UUID(uuidString: room)!
        try await rooms.remove(Self.id(member), from: roomID)
        try await tell(RoomEventType.memberRemoved, in: roomID, MemberRemoved(roomId: roomID, userId: Self.id(member), removedBy: Self.id(admin)))
    }

    /// `user` leaves `room` by themselves.
    func leave(_ user: TestUser, _ room: String) async throws {
        let roomID = UUID(uuidString: room)!
        try await rooms.remove(Self.id(user), from: roomID)
        try await tell(RoomEventType.memberLeft, in: roomID, MemberLeft(roomId: roomID, userId: Self.id(user)))
    }

    /// A direct room between `first` and `second`, named as rooms names one.
    func directRoom(_ first: TestUser, with second: TestUser) async throws -> String {
        let room = try await rooms.create("direct", name: [first.username, second.username].sorted().joined(separator: ", "), owner: Self.id(first))
        try await rooms.add(Self.id(second), to: room)
        return room.apiString
    }

    func setRole(_ role: String, of user: TestUser, in room: String) async throws {
        try await rooms.setRole(role, of: Self.id(user), in: UUID(uuidString: room)!)
    }

    func setMuted(_ muted: Bool, _ user: TestUser, in room: String) async throws {
        try await rooms.setMuted(muted, Self.id(user), in: UUID(uuidString: room)!)
    }

    func block(_ blocked: TestUser, by blocker: TestUser, blocking: Bool = true) async throws {
        try await rooms.block(Self.id(blocked), by: Self.id(blocker), blocking: blocking)
    }

    private func roomType(_ room: UUID) async throws -> String {
        guard let roster = try await rooms.directory.roster(of: room) else { throw TestFailure("no room \(room)") }
        return roster.roomType
    }

    /// Posts one of rooms' events to messages, as rooms' relay would.
    private func tell(_ type: RoomEventType, in room: UUID, _ payload: some Encodable) async throws {
        try await messages.deliver([try .made(type.rawValue, stream: room, payload: payload)])
    }

    static func id(_ user: TestUser) -> UUID { UUID(uuidString: user.id)! }
}

/// Runs `body` with messages alone (see `MessagesStack`), with `settings` and on `clock`.
func withMessages<T: Sendable>(
    settings extra: [String: String] = [:], clock: WallClock = .system, _ body: @escaping @Sendable (MessagesStack) async throws -> T
) async throws -> T {
    try await withServicesGate {
        let overrides = try await TestEnvironment.serviceOverrides(extra)
        let settings = MessagesSettings(reader: TestEnvironment.reader(overrides))
        let (tokens, users) = (TestTokens(), TestUserDirectory())
        // Rooms' access epochs, in the service's Redis namespace.
        let rooms = RoomsStandIn(epochs: AccessEpochs(redis: RedisClient(settings: settings.service.redis)))
        var attachments = AttachmentRegistryStub()
        attachments.claim = { _, _ in [] }
        let neighbours = MessagesNeighbours(tokenKeys: tokens, users: users, rooms: rooms.directory, attachments: attachments)
        let messages = try await MessagesService.buildApplication(settings: settings, clock: clock, neighbours: neighbours)
        return try await messages.test(.live) { client in
            try await body(MessagesStack(messages: client, tokens: tokens, users: users, rooms: rooms, settings: overrides, neighbours: neighbours))
        }
    }
}
