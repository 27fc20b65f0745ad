import Foundation
import ServiceKit

/// An ephemeral frame for connected clients that is not a stored event (typing, presence): shared
/// by every gateway instance on its own backplane channel, delivered to the sessions in `rooms`
/// and of `users`, except those of `exceptUser`. Never replayed.
struct RealtimeSignal: Codable, Sendable, Equatable {
    static let channel = "gateway:signals"

    /// The frame's JSON text, as sent to clients.
    let frame: String
    var rooms: [UUID] = []
    var users: [UUID] = []
    var exceptUser: UUID?
}

/// Publishes signals on the backplane; each gateway instance delivers them to its own sessions.
struct SignalPublisher: Sendable {
    let redis: RedisClient

    func publish(_ signal: RealtimeSignal) async throws {
        let text = String(decoding: try JSONEncoder().encode(signal), as: UTF8.self)
        try await redis.send("PUBLISH", redis.namespaced(RealtimeSignal.channel), text)
    }
}
