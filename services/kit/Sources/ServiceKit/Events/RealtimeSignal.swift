import Foundation

/// An ephemeral frame for connected clients that is not a stored event (typing, presence, a
/// Pong match's state): shared by every gateway instance on its own backplane channel, delivered
/// to the sessions in `rooms`, of `users`, and looking at one of `viewersOf` (`join_room`),
/// except those of `exceptUser`. Never replayed. Services other than the gateway publish them
/// too (games, 60 times a second per match), which is why it lives here.
public struct RealtimeSignal: Codable, Sendable, Equatable {
    public static let channel = "gateway:signals"

    /// The frame's JSON text, as sent to clients.
    public let frame: String
    public var rooms: [UUID]
    public var users: [UUID]
    public var viewersOf: [UUID]
    public var exceptUser: UUID?

    public init(frame: String, rooms: [UUID] = [], users: [UUID] = [], viewersOf: [UUID] = [], exceptUser: UUID? = nil) {
        self.frame = frame
        self.rooms = rooms
        self.users = users
        self.viewersOf = viewersOf
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
        let text = String(decoding: try JSONEncoder().encode(signal), as: UTF8.self)
        try await redis.send("PUBLISH", redis.namespaced(RealtimeSignal.channel), text)
    }
}
