import AuthAPI
import Foundation
import ServiceKit

/// The gateway's `POST /internal/events`: each event id is taken once across all gateway
/// instances, numbered, published on the Redis backplane (from which every instance serves its
/// own connections) and, when it makes a frame for a room, kept in that room's replay buffer.
///
/// The number is the gateways' own order of events (one Redis counter): it is what clients see
/// as `event_id` and resume from. Events reach the gateway from several producers, whose own ids
/// need not arrive in order; the numbers do, since they are given in the order of publishing.
struct EventIntake: EventHandler {
    static let channel = "gateway:events"
    static let sequenceKey = "{gateway}:event-sequence"

    let redis: RedisClient
    /// How long an event id is remembered against redelivery (`EVENT_SEEN_SECONDS`).
    let seenTTLSeconds: Int
    let buffer: RoomEventBuffer
    let presence: Presence

    /// Marks the id seen, numbers, publishes (on channel `ARGV[8]`) and buffers in one atomic
    /// step: a redelivery after a failure in between can neither be lost nor published twice.
    /// Backplane messages and buffer entries are `<number> <event JSON>`. The buffer keeps the
    /// room's newest entries in order, at most `ARGV[4]` of them and `ARGV[7]` bytes (`KEYS[6]`
    /// counts its bytes); an entry larger than that is not kept at all. `KEYS[3]` keeps the newest
    /// number dropped (or never kept) and `KEYS[5]` the room's last number, so a resume can tell
    /// what it can no longer replay. Every key is tagged `{gateway}` (one Redis Cluster slot).
    private static let takeOnce = RedisScript("""
        if not redis.call('SET', KEYS[1], '1', 'NX', 'EX', ARGV[2]) then return 0 end
        local sequence = redis.call('INCR', KEYS[4])
        local entry = sequence .. ' ' .. ARGV[1]
        redis.call('PUBLISH', ARGV[8], entry)
        if ARGV[3] == '1' then
            local maxBytes = tonumber(ARGV[7])
            if string.len(entry) > maxBytes then
                redis.call('SET', KEYS[3], sequence)
            else
                redis.call('RPUSH', KEYS[2], entry)
                local bytes = redis.call('INCRBY', KEYS[6], string.len(entry))
                local count = redis.call('LLEN', KEYS[2])
                local dropped = nil
                while count > tonumber(ARGV[4]) or bytes > maxBytes do
                    dropped = redis.call('LPOP', KEYS[2])
                    bytes = redis.call('DECRBY', KEYS[6], string.len(dropped))
                    count = count - 1
                end
                if dropped then redis.call('SET', KEYS[3], string.match(dropped, '^%d+')) end
            end
            redis.call('SET', KEYS[5], sequence, 'EX', ARGV[6])
            redis.call('EXPIRE', KEYS[2], ARGV[5])
            redis.call('EXPIRE', KEYS[3], ARGV[5])
            redis.call('EXPIRE', KEYS[6], ARGV[5])
        end
        return sequence
        """)

    func handle(_ event: Event) async throws {
        try await handle(batch: [event])
    }

    /// The batch's events in one Redis round trip (a pipeline of one `EVAL` each, in order).
    func handle(batch events: [Event]) async throws {
        let commands = events.map { event in
            let text = event.jsonText
            let room = RoomEventEffect.of(event).flatMap { $0.frame == nil ? nil : $0.roomID }
            return [
                "EVALSHA", Self.takeOnce.sha1, "6", "{gateway}:event-seen:\(event.id.apiString)",
                RoomEventBuffer.eventsKey(room), RoomEventBuffer.floorKey(room), redis.namespaced(Self.sequenceKey), RoomEventBuffer.lastKey(room),
                RoomEventBuffer.bytesKey(room),
                text, String(seenTTLSeconds), room == nil ? "0" : "1", String(buffer.capacity), String(buffer.retentionSeconds),
                String(RoomEventBuffer.lastSequenceTTLSeconds), String(buffer.maxBytes), redis.namespaced(Self.channel),
            ]
        }
        let replies = try await redis.pipeline(commands)
        for (event, taken) in zip(events, replies) where (taken.int ?? 0) > 0 && event.type == AuthEventType.userUpdated.rawValue {
            // Once across instances: the instance that took the event tells of the new profile
            // and status.
            guard let update = event.payload(as: UserUpdated.self, logger: presence.logger),
                case .object(let fields) = event.data, let profile = fields["user"]
            else { continue }
            do {
                let rooms = try await presence.rooms.roomIDs(of: update.user.id)
                try await presence.profileChanged(user: update.user.id, profile: profile, rooms: rooms)
                try await presence.statusChosen(user: update.user.id, status: update.user.status, rooms: rooms)
            } catch {
                presence.logger.warning("could not publish a profile change", metadata: ["error": "\(error)"])
            }
        }
    }

    /// A backplane message or buffer entry: its number and event.
    static func decode(_ entry: String) -> (sequence: Int64, event: Event)? {
        guard let space = entry.firstIndex(of: " "), let sequence = Int64(entry[..<space]),
            let parsed = try? JSONValue(parsing: String(entry[entry.index(after: space)...])), let event = Event(parsed: parsed)
        else { return nil }
        return (sequence, event)
    }
}
