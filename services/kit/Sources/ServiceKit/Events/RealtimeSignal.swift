import Foundation

/// An ephemeral frame for connected clients that is not a stored event (typing, presence, a
/// Pong match's state, a call's signalling): shared by every gateway instance on its own
/// backplane channel, delivered to the sessions in `rooms`, of `users`, looking at one of
/// `viewersOf` (`join_room`), and named in `sessions` (their `session_id`), except those of
/// `exceptUser`. Never replayed. Services other than the gateway publish them too (games, 30 times
/// a second per match; calls), which is why it lives here.
public struct RealtimeSignal: Codable, Sendable, Equatable {
    public static let channel = "gateway:signals"

    /// The frame's JSON text, as sent to clients.
    public let frame: String
    public var rooms: [UUID]
    public var users: [UUID]
    public var viewersOf: [UUID]
    public var sessions: [String]
    public var exceptUser: UUID?

    public init(
        frame: String, rooms: [UUID] = [], users: [UUID] = [], viewersOf: [UUID] = [], sessions: [String] = [], exceptUser: UUID? = nil
    ) {
        self.frame = frame
        self.rooms = rooms
        self.users = users
        self.viewersOf = viewersOf
        self.sessions = sessions
        self.exceptUser = exceptUser
    }
}

/// Publishes signals on the backplane; each gateway instance delivers them to its own sessions.
public struct SignalPublisher: Sendable {
    let redis: RedisClient

    public init(redis: RedisClient) {
        self.redis = redis
    }

    public func publish(_ signal: RealtimeSignal) async throws {
        try await publish([signal])
    }

    /// Several at once, in one round trip (a pipeline of `PUBLISH`es, in order).
    public func publish(_ signals: [RealtimeSignal]) async throws {
        let channel = redis.namespaced(RealtimeSignal.channel)
        let encoder = JSONEncoder()
        let commands = try signals.map { ["PUBLISH", channel, String(decoding: try encoder.encode($0), as: UTF8.self)] }
        try await redis.pipelineAll(commands, or: "publishing signals")
    }
}
