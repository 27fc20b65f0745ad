import AsyncHTTPClient
import AuthAPI
import Foundation
import Gateway
import HummingbirdTesting
import NeighbourFakes
import NIOCore
import RoomsAPI
import ServiceKit
import TestSupport

/// A live gateway alone, on the test Redis: auth is stood in for by `TestTokens` (the keys) and
/// `TestUserDirectory` (the users, and `GET /auth/me` for the `ready` frame), rooms by
/// `RoomsStandIn` (which rooms a socket follows), and every service behind the proxy by one
/// `UpstreamStandIn`. Producers' events arrive as their relays post them (`deliver`).
/// With `secondGateway` another instance runs beside it on the same Redis, as behind a load
/// balancer. `withStack` runs the gateway with the real services, for the journeys across them.
struct GatewayFixture: Sendable {
    let gateway: any TestClientProtocol
    let port: Int
    /// Event intake, metrics and readiness.
    let internalPort: Int
    var secondPort: Int? = nil
    let tokens: TestTokens
    let users: TestUserDirectory
    let rooms: RoomsStandIn
    let upstream: UpstreamStandIn
    /// The gateway's Redis, in its namespace: revocations, the backplane.
    let redis: RedisClient
    let messages = MessagesStandIn()

    func user() async throws -> TestUser {
        try await users.signUp(prefix: "gw_", tokens: tokens)
    }

    /// A room of `type` (`private` by default) with `owner` and `members` in it.
    @discardableResult
    func room(_ type: String = "private", owner: TestUser, members: [TestUser] = []) async throws -> UUID {
        let room = try await rooms.create(type, name: "gateway-\(UUID().uuidString.prefix(8))", owner: Self.id(owner))
        for member in members { try await rooms.add(Self.id(member), to: room) }
        return room
    }

    /// Posts `events` to the first gateway's intake with the service token, as a producer's relay
    /// does; fails unless they were taken.
    func deliver(_ events: [Event]) async throws {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(internalPort)/internal/events")
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(TestEnvironment.serviceToken)")
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: "{\"events\":[" + events.map(\.jsonText).joined(separator: ",") + "]}"))
        let reply = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        guard (200..<300).contains(reply.status.code) else { throw TestFailure("the gateway refused the events: \(reply.status)") }
    }

    /// Delivers `message_created` for `content` sent by `sender` in `room`, as messages' relay
    /// would; returns the message's id.
    func send(_ content: String, in room: UUID, as sender: TestUser) async throws -> UUID {
        guard let summary = try await users.user(Self.id(sender)) else { throw TestFailure("\(sender.id) is not a user") }
        let (event, id) = try messages.created(content, in: room, by: summary)
        try await deliver([event])
        return id
    }

    /// `member` comes into `room` as rooms would tell it: the membership changes, then
    /// `member_joined` arrives (`via` `join`, or `added` by `actor`).
    func join(_ member: TestUser, _ room: UUID, via: String = "join", actor: TestUser? = nil) async throws {
        try await rooms.add(Self.id(member), to: room)
        guard let summary = try await users.user(Self.id(member)), let roster = try await rooms.directory.roster(of: room) else {
            throw TestFailure("no such user or room")
        }
        let joined = MemberJoined(roomId: room, roomType: roster.roomType, user: summary, role: "member", via: via, actorId: actor.map(Self.id))
        try await deliver([try .made(RoomEventType.memberJoined.rawValue, stream: room, payload: joined)])
    }

    /// `member` goes from `room` as rooms would tell it: by themselves (`member_left`) or taken
    /// out by `remover` (`member_removed`).
    func leave(_ member: TestUser, _ room: UUID, removedBy remover: TestUser? = nil) async throws {
        try await rooms.remove(Self.id(member), from: room)
        let event: Event = if let remover {
            try .made(RoomEventType.memberRemoved.rawValue, stream: room, payload: MemberRemoved(roomId: room, userId: Self.id(member), removedBy: Self.id(remover)))
        } else {
            try .made(RoomEventType.memberLeft.rawValue, stream: room, payload: MemberLeft(roomId: room, userId: Self.id(member)))
        }
        try await deliver([event])
    }

    /// `user` changes their profile as through auth's `PATCH /users/me`: auth's `user_updated` arrives.
    func updateProfile(_ user: TestUser, displayName: String? = nil, status: String? = nil) async throws {
        let updated = try users.update(Self.id(user), displayName: displayName, status: status)
        try await deliver([try .made(AuthEventType.userUpdated.rawValue, stream: updated.id, payload: UserUpdated(user: updated))])
    }

    static func id(_ user: TestUser) -> UUID { UUID(uuidString: user.id)! }
}

/// Runs `body` with the gateway alone (see `GatewayFixture`).
func withGateway<T: Sendable>(
    settings extra: [String: String] = [:], clock: WallClock = .system, secondGateway: Bool = false,
    _ body: @escaping @Sendable (GatewayFixture) async throws -> T
) async throws -> T {
    try await withServicesGate {
        let upstream = UpstreamStandIn()
        return try await upstream.serve { url in
            var services: [String: String] = ["CORS_ORIGINS": "https://app.example"]
            for name in ["AUTH", "ROOMS", "MESSAGES", "MEDIA", "SEARCH", "NOTIFY"] { services["\(name)_URL"] = url }
            let overrides = try await TestEnvironment.serviceOverrides(services.merging(extra) { $1 }, database: false)
            let (tokens, users) = (TestTokens(), TestUserDirectory())
            let redis = RedisClient(settings: GatewaySettings(reader: TestEnvironment.reader(overrides)).service.redis)
            let rooms = RoomsStandIn(epochs: AccessEpochs(redis: redis))
            let neighbours = GatewayNeighbours(tokenKeys: tokens, currentUsers: users, rooms: rooms.directory)
            /// One gateway instance, its internal port chosen up front.
            @Sendable func run<R: Sendable>(_ body: @escaping @Sendable (any TestClientProtocol, Int) async throws -> R) async throws -> R {
                let internalPort = try TestEnvironment.freePort()
                let settings = GatewaySettings(reader: TestEnvironment.reader(overrides.merging(["INTERNAL_HTTP_PORT": String(internalPort)]) { $1 }))
                let gateway = try await Gateway.buildApplication(settings: settings, clock: clock, neighbours: neighbours)
                return try await gateway.test(.live) { client in try await body(client, internalPort) }
            }
            return try await run { client, internalPort in
                let fixture = GatewayFixture(
                    gateway: client, port: client.port!, internalPort: internalPort, tokens: tokens, users: users, rooms: rooms,
                    upstream: upstream, redis: redis)
                guard secondGateway else { return try await body(fixture) }
                return try await run { second, _ in
                    var both = fixture
                    both.secondPort = second.port!
                    return try await body(both)
                }
            }
        }
    }
}
