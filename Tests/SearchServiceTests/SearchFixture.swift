import AuthAPI
import Foundation
import HummingbirdTesting
import MessagesAPI
import NeighbourFakes
import RoomsAPI
import SearchService
import ServiceKit
import Synchronization
import TestSupport

/// A live search service alone, on a fresh database and the test Redis. Its neighbours are
/// stood in for as their contracts say: auth by `TestTokens` and `TestUserDirectory`; rooms by
/// the memberships this fixture keeps, answered through `RoomDirectoryStub`, with each change
/// moving the user's access epoch as rooms does; messages by the events this fixture delivers,
/// written with messages' own event types. (The contract tests hold the real neighbours to the
/// same protocols and types; `JourneyTests` searches through the whole stack.)
struct SearchFixture: Sendable {
    typealias User = (token: String, id: String, username: String)

    let service: any TestClientProtocol
    let tokens: TestTokens
    let users: TestUserDirectory
    let memberships: Memberships
    let epochs: AccessEpochs
    private let sent = SentMessages()

    func register() async throws -> User {
        let user = users.add(username: "user_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())
        return (try await tokens.token(for: user.id, now: Date()), user.id.apiString, user.username)
    }

    /// A new room of `owner`'s with `members` in it.
    func room(_ owner: User, members: [User] = []) async throws -> String {
        let room = UUID.v7()
        for user in [owner] + members { try await join(user, room.apiString) }
        return room.apiString
    }

    /// `user` is in `room` from now on, as rooms would say after a join.
    func join(_ user: User, _ room: String) async throws {
        try await changeMembership(of: user) { $0.insert(UUID(uuidString: room)!) }
    }

    /// `user` is no longer in `room`, as rooms would say after a leave or a removal.
    func leave(_ user: User, _ room: String) async throws {
        try await changeMembership(of: user) { $0.remove(UUID(uuidString: room)!) }
    }

    private func changeMembership(of user: User, _ change: (inout Set<UUID>) -> Void) async throws {
        let id = UUID(uuidString: user.id)!
        memberships.change(id, change)
        try await epochs.bump(rooms: [], users: [id])
    }

    /// Delivers `message_created` for a new message of `user`'s in `room` (a reply to `parent`,
    /// with `attachments` files), as messages' relay would; returns the message's id.
    @discardableResult
    func send(_ content: String, in room: String, as user: User, parent: String? = nil, attachments: Int = 0) async throws -> String {
        let roomID = UUID(uuidString: room)!
        guard let sender = try await users.users([UUID(uuidString: user.id)!]).values.first else { throw TestFailure("\(user.id) is not a user") }
        let createdAt = sent.nextTime()
        let message = MessageSnapshot(
            id: UUID.v7(at: createdAt), roomId: roomID, type: attachments > 0 ? "file" : "text", sender: sender, content: content,
            parentId: parent.flatMap(UUID.init(uuidString:)), createdAt: createdAt,
            attachments: (0..<attachments).map { MessageSnapshot.Attachment(id: UUID(), filename: "file-\($0).pdf") })
        sent.keep(message)
        try await service.deliver([try .made(
            MessageEventType.messageCreated.rawValue, stream: roomID,
            payload: MessageCreated(roomId: roomID, message: message, mentionIds: [], mentionsRoom: false, parentSenderId: nil))])
        return message.id.apiString
    }

    /// Delivers `message_updated` for an edit of message `id` to `content`.
    func edit(_ id: String, to content: String) async throws {
        guard let before = sent.message(UUID(uuidString: id)!) else { throw TestFailure("no message \(id) was sent") }
        let after = MessageSnapshot(
            id: before.id, roomId: before.roomId, type: before.type, sender: before.sender, content: content, parentId: before.parentId,
            createdAt: before.createdAt, attachments: before.attachments)
        sent.keep(after)
        try await service.deliver([try .made(
            MessageEventType.messageUpdated.rawValue, stream: before.roomId, payload: MessageUpdated(roomId: before.roomId, message: after, addedMentionIds: []))])
    }

    /// Delivers `message_deleted` for message `id`.
    func delete(_ id: String) async throws {
        guard let message = sent.message(UUID(uuidString: id)!) else { throw TestFailure("no message \(id) was sent") }
        try await service.deliver([try .made(
            MessageEventType.messageDeleted.rawValue, stream: message.roomId,
            payload: MessageDeleted(roomId: message.roomId, messageId: message.id, deletedBy: message.sender!.id, attachmentIds: []))])
    }

    /// `GET /search` with these parameters.
    func search(_ parameters: [(String, String)], as user: User) async throws -> APIReply {
        var components = URLComponents()
        components.path = "/search"
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` is a space to form decoders: encode it, as browsers do.
        let uri = components.string!.replacingOccurrences(of: "+", with: "%2B")
        return try await service.call(.get, uri, token: user.token)
    }

    /// The contents of the results of `q` (and other parameters), failing on anything but 200.
    func contents(_ q: String, _ more: [(String, String)] = [], as user: User) async throws -> [String] {
        let reply = try await search([("q", q)] + more, as: user)
        guard reply.status == .ok, let results = reply["results"] as? [[String: Any]] else {
            throw TestFailure("search \(q) failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return results.compactMap { ($0["message"] as? [String: Any])?["content"] as? String }
    }

    /// Checks that `q` finds exactly `count` messages: the events were applied when their
    /// delivery was acknowledged, so there is nothing to wait for.
    func expect(_ q: String, finds count: Int, as user: User) async throws {
        let found = try await contents(q, as: user)
        guard found.count == count else { throw TestFailure("search \(q) found \(found.count), not \(count): \(found)") }
    }
}

/// Runs `body` with search alone (see `SearchFixture`).
func withSearch<T: Sendable>(_ body: @escaping @Sendable (SearchFixture) async throws -> T) async throws -> T {
    try await withServicesGate {
        let overrides = try await TestEnvironment.serviceOverrides()
        let config = TestEnvironment.reader(overrides)
        let (tokens, users, memberships) = (TestTokens(), TestUserDirectory(), Memberships())
        var rooms = RoomDirectoryStub()
        rooms.roomIDs = { user in memberships.rooms(of: user) }
        let search = try await SearchService.buildApplication(
            settings: SearchSettings(reader: config), neighbours: SearchNeighbours(tokenKeys: tokens, users: users, rooms: rooms))
        // Rooms' access epochs, in the service's Redis namespace.
        let epochs = AccessEpochs(redis: RedisClient(settings: SearchSettings(reader: config).service.redis))
        return try await search.test(.live) { client in
            try await body(SearchFixture(service: client, tokens: tokens, users: users, memberships: memberships, epochs: epochs))
        }
    }
}

/// Who is in which room, as rooms would answer.
final class Memberships: Sendable {
    private let rooms = Mutex<[UUID: Set<UUID>]>([:])

    func rooms(of user: UUID) -> Set<UUID> { rooms.withLock { $0[user] ?? [] } }

    func change(_ user: UUID, _ change: (inout Set<UUID>) -> Void) {
        rooms.withLock { change(&$0[user, default: []]) }
    }
}

/// The messages a fixture sent, for their edits and deletions, and their times: a millisecond
/// apart, as messages' ids and times never tie.
private final class SentMessages: Sendable {
    private let state = Mutex<(messages: [UUID: MessageSnapshot], last: Date)>(([:], Date()))

    func nextTime() -> Date {
        state.withLock { state in
            state.last = max(Date(), state.last.addingTimeInterval(0.001))
            return state.last
        }
    }

    func keep(_ message: MessageSnapshot) { state.withLock { $0.messages[message.id] = message } }

    func message(_ id: UUID) -> MessageSnapshot? { state.withLock { $0.messages[id] } }
}
