import Foundation
import ServiceKit

/// The gateway's `POST /internal/events`: each event id is taken once across all gateway
/// instances, published on the Redis backplane (from which every instance serves its own
/// connections) and, when it makes a frame for a room, kept in that room's replay buffer.
struct EventIntake: EventHandler {
    static let channel = "gateway:events"
    /// How long an event id is remembered against redelivery.
    static let seenTTLSeconds = 86400

    let redis: RedisClient
    let buffer: RoomEventBuffer
    let presence: Presence

    /// The part of auth's `user_updated` read here.
    private struct UserUpdated: Decodable {
        struct User: Decodable {
            let id: UUID
            let status: String
        }

        let user: User
    }

    /// Marks the id seen, publishes, and buffers in one atomic step: a redelivery after a failure
    /// in between can neither be lost nor published twice. The buffer keeps the room's newest
    /// `ARGV[4]` events; `KEYS[4]` remembers the newest id it dropped, so a resume can tell when
    /// the buffer no longer reaches back far enough.
    private static let takeOnce = """
        if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then return 0 end
        redis.call('PUBLISH', KEYS[2], ARGV[1])
        if ARGV[3] == '1' then
            redis.call('RPUSH', KEYS[3], ARGV[1])
            local excess = redis.call('LLEN', KEYS[3]) - tonumber(ARGV[4])
            if excess > 0 then
                local floor = redis.call('GET', KEYS[4]) or ''
                for _, dropped in ipairs(redis.call('LRANGE', KEYS[3], 0, excess - 1)) do
                    local id = cjson.decode(dropped)['id']
                    if id > floor then floor = id end
                end
                redis.call('LTRIM', KEYS[3], excess, -1)
                redis.call('SET', KEYS[4], floor)
            end
            redis.call('EXPIRE', KEYS[3], ARGV[5])
            redis.call('EXPIRE', KEYS[4], ARGV[5])
        end
        return 1
        """

    func handle(_ event: Event) async throws {
        let text = String(decoding: try EventJSON.encoder().encode(event), as: UTF8.self)
        let room = RoomEventEffect.of(event).flatMap { $0.frame == nil ? nil : $0.roomID }
        let taken = try await redis.send([
            "EVAL", Self.takeOnce, "4", "gateway:event-seen:\(event.id.apiString)", Self.channel,
            RoomEventBuffer.eventsKey(room), RoomEventBuffer.floorKey(room),
            text, String(Self.seenTTLSeconds), room == nil ? "0" : "1", String(buffer.capacity), String(buffer.retentionSeconds),
        ])
        // Once across instances: the instance that took the event tells of the new status.
        if taken.int == 1, event.type == "user_updated", let update = event.payload(as: UserUpdated.self, logger: presence.logger) {
            do {
                try await presence.statusChosen(user: update.user.id, status: update.user.status)
            } catch {
                presence.logger.warning("could not publish a status change", metadata: ["error": "\(error)"])
            }
        }
    }
}
