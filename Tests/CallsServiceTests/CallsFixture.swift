import AuthAPI
import CallsService
import Foundation
import HummingbirdTesting
import NeighbourFakes
import RoomsAPI
import ServiceKit
import TestSupport

/// A live calls service alone, on a fresh database and the test Redis, its clock a `TestClock`:
/// auth stood in for by `TestTokens` and `TestUserDirectory`, rooms by `RoomsStandIn`. Its events
/// go to `events`; the signals it publishes for the gateway are heard on Redis.
/// `JourneyTests/CallJourneyTests` calls through the gateway with the real services.
struct CallsFixture: Sendable {
    typealias User = TestUser

    let service: any TestClientProtocol
    let clock: TestClock
    let tokens: TestTokens
    let users: TestUserDirectory
    let rooms: RoomsStandIn
    let events: EventRecorder
    let redis: RedisClient

    func user() async throws -> User {
        try await users.signUp(prefix: "caller_", tokens: tokens)
    }

    func room(_ type: String, _ owner: User, with members: [User]) async throws -> String {
        let room = try await rooms.create(type, name: "calls-\(UUID().uuidString.prefix(8))", owner: Self.id(owner))
        for member in members { try await rooms.add(Self.id(member), to: room) }
        return room.apiString
    }

    func start(in room: String, by user: User, kind: String = "video", session: String? = nil) async throws -> APIReply {
        var body: [String: Any] = ["kind": kind]
        if let session { body["session_id"] = session }
        return try await service.call(.post, "/rooms/\(room)/calls", json: body, token: user.token)
    }

    func post(_ path: String, by user: User, json: [String: Any]? = nil) async throws -> APIReply {
        try await service.call(.post, path, json: json, token: user.token)
    }

    static func id(_ user: User) -> UUID { UUID(uuidString: user.id)! }
}

/// Runs `body` with calls alone (see `CallsFixture`).
func withCalls<T: Sendable>(
    settings extra: [String: String] = [:], _ body: @escaping @Sendable (CallsFixture) async throws -> T
) async throws -> T {
    let events = EventRecorder()
    return try await events.serve { subscriber in
        try await withServicesGate {
            let overrides = try await TestEnvironment.serviceOverrides([
                "EVENT_SUBSCRIBERS": "test=http://127.0.0.1:\(subscriber)", "TURN_SECRET": "north", "TURN_URIS": "turn:127.0.0.1:3478",
            ].merging(extra) { $1 })
            let settings = CallsSettings(reader: TestEnvironment.reader(overrides))
            let (tokens, users, clock) = (TestTokens(), TestUserDirectory(), TestClock())
            let redis = RedisClient(settings: settings.service.redis)
            let rooms = RoomsStandIn(epochs: AccessEpochs(redis: redis))
            let calls = try await CallsService.buildApplication(
                settings: settings, clock: clock.wallClock, neighbours: CallsNeighbours(tokenKeys: tokens, users: users, rooms: rooms.directory))
            return try await calls.test(.live) { client in
                try await body(CallsFixture(service: client, clock: clock, tokens: tokens, users: users, rooms: rooms, events: events, redis: redis))
            }
        }
    }
}
