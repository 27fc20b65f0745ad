import AuthAPI
import Foundation
import GamesAPI
import GamesService
import HummingbirdTesting
import NeighbourFakes
import RoomsAPI
import ServiceKit
import TestSupport

/// A live games service alone, on a fresh database and the test Redis, its clock a `TestClock`:
/// auth stood in for by `TestTokens` and `TestUserDirectory`, rooms by `RoomsStandIn`. Its events
/// go to `events`; the match states it publishes for the gateway are heard on `signals`.
/// `JourneyTests/PongJourneyTests` plays through the gateway with the real services.
struct GamesFixture: Sendable {
    typealias User = TestUser

    let service: any TestClientProtocol
    let clock: TestClock
    let tokens: TestTokens
    let users: TestUserDirectory
    let rooms: RoomsStandIn
    let events: EventRecorder
    let redis: RedisClient

    func user() async throws -> User {
        try await users.signUp(prefix: "player_", tokens: tokens)
    }

    /// A private room of `owner`'s with `members` in it.
    func room(_ owner: User, with members: [User]) async throws -> String {
        let room = try await rooms.create("private", name: "games-\(UUID().uuidString.prefix(8))", owner: Self.id(owner))
        for member in members { try await rooms.add(Self.id(member), to: room) }
        return room.apiString
    }

    func invite(in room: String, by user: User, invitee: User? = nil) async throws -> APIReply {
        var body: [String: Any] = ["game": "pong"]
        if let invitee { body["invitee_id"] = invitee.id }
        return try await service.call(.post, "/rooms/\(room)/games", json: body, token: user.token)
    }

    /// `inviter` invites `invitee`, who accepts: the match's id.
    func match(in room: String, _ inviter: User, against invitee: User) async throws -> String {
        let invitation = try await invite(in: room, by: inviter, invitee: invitee)
        guard invitation.status == .created, let id = invitation["id"] as? String else { throw TestFailure("invite: \(invitation.status) \(String(decoding: invitation.body, as: UTF8.self))") }
        let accepted = try await service.call(.post, "/games/invitations/\(id)/accept", token: invitee.token)
        guard let match = accepted["match"] as? [String: Any], let matchID = match["id"] as? String else {
            throw TestFailure("accept: \(accepted.status) \(String(decoding: accepted.body, as: UTF8.self))")
        }
        return matchID
    }

    func input(_ direction: String, to match: String, by user: User, seq: Int = 0) async throws -> APIReply {
        try await service.call(.post, "/games/matches/\(match)/input", json: ["direction": direction, "seq": seq], token: user.token)
    }

    func matchState(_ match: String, as user: User) async throws -> [String: Any] {
        try await service.call(.get, "/games/matches/\(match)", token: user.token).json
    }

    /// Plays the match tick by tick on the test clock until it ends (or `maxTicks` pass), each of
    /// `present` sending its input again every second, as a client does. Returns the ticks played.
    @discardableResult
    func play(_ match: String, present: [User], maxTicks: Int = 20_000) async throws -> Int {
        for played in 0..<maxTicks {
            if played % 60 == 0 {
                for player in present {
                    let reply = try await input("none", to: match, by: player)
                    if reply.status == .conflict { return played }
                }
            }
            // The loop waits on the clock between ticks; once the match ended it waits no more.
            guard try await nextTickOrEnd(of: match) else { return played }
            clock.advance(by: 1.0 / 60 + 0.000_001)
        }
        throw TestFailure("the match did not end within \(maxTicks) ticks")
    }

    /// True once the match's loop waits for the next tick; false once the match ended instead.
    private func nextTickOrEnd(of match: String) async throws -> Bool {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            group.addTask { await clock.sleeperArrived(); return true }
            group.addTask {
                try await events.waitFor(1, seconds: 600) { _ in ended(match) }
                return false
            }
            defer { group.cancelAll() }
            return try await group.next()!
        }
    }

    /// Whether games emitted `game_finished` for the match.
    func ended(_ match: String) -> Bool {
        events.events.contains { $0.type == GameEventType.matchFinished.rawValue && ($0.data["match"]?["id"]).flatMap(\.stringValue) == match }
    }

    static func id(_ user: User) -> UUID { UUID(uuidString: user.id)! }
}

/// Runs `body` with games alone (see `GamesFixture`).
func withGames<T: Sendable>(settings extra: [String: String] = [:], _ body: @escaping @Sendable (GamesFixture) async throws -> T) async throws -> T {
    let events = EventRecorder()
    return try await events.serve { subscriber in
        try await withServicesGate {
            let overrides = try await TestEnvironment.serviceOverrides(["EVENT_SUBSCRIBERS": "test=http://127.0.0.1:\(subscriber)"].merging(extra) { $1 })
            let settings = GamesSettings(reader: TestEnvironment.reader(overrides))
            let (tokens, users, clock) = (TestTokens(), TestUserDirectory(), TestClock())
            let redis = RedisClient(settings: settings.service.redis)
            let rooms = RoomsStandIn(epochs: AccessEpochs(redis: redis))
            let games = try await GamesService.buildApplication(
                settings: settings, clock: clock.wallClock, neighbours: GamesNeighbours(tokenKeys: tokens, users: users, rooms: rooms.directory))
            return try await games.test(.live) { client in
                try await body(GamesFixture(service: client, clock: clock, tokens: tokens, users: users, rooms: rooms, events: events, redis: redis))
            }
        }
    }
}
