import AuthAPI
import Foundation
import HummingbirdTesting
import MessagesAPI
import NeighbourFakes
import RoomsAPI
import SearchService
import ServiceKit
import TestSupport

/// A live search service alone, on a fresh database and the test Redis. Its neighbours are
/// stood in for as their contracts say: auth by `TestTokens` and `TestUserDirectory`, rooms by
/// `RoomsStandIn`, messages by `MessagesStandIn`, whose events the fixture delivers. (The contract
/// tests hold the real neighbours to the same protocols and types; `JourneyTests` searches through
/// the whole stack.)
struct SearchFixture: Sendable {
    typealias User = (token: String, id: String, username: String)

    let service: any TestClientProtocol
    let tokens: TestTokens
    let users: TestUserDirectory
    let rooms: RoomsStandIn
    let messages = MessagesStandIn()

    func register() async throws -> User {
        try await users.signUp(prefix: "user_", tokens: tokens)
    }

    /// A new room of `owner`'s with `members` in it.
    func room(_ owner: User, members: [User] = []) async throws -> String {
        let room = try await rooms.create("private", name: "Search room", owner: UUID(uuidString: owner.id)!)
        for member in members { try await join(member, room.apiString) }
        return room.apiString
    }

    /// `user` is in `room` from now on, as rooms would say after a join.
    func join(_ user: User, _ room: String) async throws {
        try await rooms.add(UUID(uuidString: user.id)!, to: UUID(uuidString: room)!)
    }

    /// `user` is no longer in `room`, as rooms would say after a leave or a removal.
    func leave(_ user: User, _ room: String) async throws {
        try await rooms.remove(UUID(uuidString: user.id)!, from: UUID(uuidString: room)!)
    }

    /// Delivers `message_created` for a new message of `user`'s in `room` (a reply to `parent`,
    /// with `attachments` files), as messages' relay would; returns the message's id.
    @discardableResult
    func send(_ content: String, in room: String, as user: User, parent: String? = nil, attachments: Int = 0) async throws -> String {
        guard let sender = try await users.users([UUID(uuidString: user.id)!]).values.first else { throw TestFailure("\(user.id) is not a user") }
        let (event, id) = try messages.created(
            content, in: UUID(uuidString: room)!, by: sender, parent: parent.flatMap(UUID.init(uuidString:)), attachments: attachments)
        try await service.deliver([event])
        return id.apiString
    }

    /// Delivers `message_updated` for an edit of message `id` to `content`.
    func edit(_ id: String, to content: String) async throws {
        try await service.deliver([try messages.updated(UUID(uuidString: id)!, to: content)])
    }

    /// Delivers `message_deleted` for message `id`.
    func delete(_ id: String) async throws {
        try await service.deliver([try messages.deleted(UUID(uuidString: id)!)])
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
        let settings = SearchSettings(reader: TestEnvironment.reader(try await TestEnvironment.serviceOverrides()))
        let (tokens, users) = (TestTokens(), TestUserDirectory())
        // Rooms' access epochs, in the service's Redis namespace.
        let rooms = RoomsStandIn(epochs: AccessEpochs(redis: RedisClient(settings: settings.service.redis)))
        let search = try await SearchService.buildApplication(
            settings: settings, neighbours: SearchNeighbours(tokenKeys: tokens, users: users, rooms: rooms.directory))
        return try await search.test(.live) { client in
            try await body(SearchFixture(service: client, tokens: tokens, users: users, rooms: rooms))
        }
    }
}
