import Foundation
import ServiceKit

/// The gateway's `POST /internal/events`: each event id is taken once across all gateway
/// instances and published on the Redis backplane, from which every instance serves its own
/// connections.
struct EventIntake: EventHandler {
    static let channel = "gateway:events"
    /// How long an event id is remembered against redelivery.
    static let seenTTLSeconds = 86400

    let redis: RedisClient

    /// Marks the id seen and publishes in one atomic step: a redelivery after a failure between
    /// the two can neither be lost nor published twice.
    private static let takeOnce = """
        if redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then
            redis.call('PUBLISH', KEYS[2], ARGV[1])
            return 1
        end
        return 0
        """

    func handle(_ event: Event) async throws {
        let text = String(decoding: try EventJSON.encoder().encode(event), as: UTF8.self)
        try await redis.send("EVAL", Self.takeOnce, "2", "gateway:event-seen:\(event.id.apiString)", Self.channel, text, String(Self.seenTTLSeconds))
    }
}
