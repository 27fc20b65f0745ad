import Foundation
import ServiceKit

/// Each room's newest events, kept in Redis (shared by every gateway instance) so a client that
/// reconnects can `resume` from the last event it saw. `EventIntake` fills it; a resume reads it.
struct RoomEventBuffer: Sendable {
    let redis: RedisClient
    /// Events kept per room.
    let capacity: Int
    /// Bytes of entries kept per room: the oldest go first to stay under it, and an entry larger
    /// than this is never kept (a resume from before it is told to refetch).
    let maxBytes: Int
    /// How long a quiet room's buffer is kept.
    let retentionSeconds: Int
    /// How long a room's last event number is kept: a resume from before it, with the buffer
    /// gone, is told to refetch rather than given nothing.
    static let lastSequenceTTLSeconds = 30 * 86400

    // Tagged `{gateway}` like every key of the intake's script: one Redis Cluster slot, since
    // the events are numbered by one counter.
    static func eventsKey(_ room: UUID?) -> String { "{gateway}:room-events:\(room?.apiString ?? "none")" }
    static func floorKey(_ room: UUID?) -> String { "{gateway}:room-events-floor:\(room?.apiString ?? "none")" }
    static func lastKey(_ room: UUID?) -> String { "{gateway}:room-events-last:\(room?.apiString ?? "none")" }
    static func bytesKey(_ room: UUID?) -> String { "{gateway}:room-events-bytes:\(room?.apiString ?? "none")" }

    /// What a resume after event number `last` brings: the missed events of `rooms` with their
    /// numbers (oldest first), and the rooms the buffer can no longer answer for (their client
    /// refetches with `after=`).
    struct Replay {
        var events: [(sequence: Int64, event: Event)] = []
        var refetch: [UUID] = []
    }

    func replay(rooms: Set<UUID>, after last: Int64) async throws -> Replay {
        var replay = Replay()
        let rooms = Array(rooms)
        let replies = try await redis.pipeline(rooms.flatMap {
            [["GET", Self.lastKey($0)], ["GET", Self.floorKey($0)], ["LRANGE", Self.eventsKey($0), "0", "-1"]]
        })
        for (index, room) in rooms.enumerated() {
            // Nothing in the room since `last` (or for longer than anything is kept).
            guard let newest = replies[3 * index].string.flatMap({ Int64($0) }), newest > last else { continue }
            let entries = (replies[3 * index + 2].array ?? []).compactMap { $0.string.flatMap(EventIntake.decode) }
            let dropped = replies[3 * index + 1].string.flatMap { Int64($0) } ?? 0
            // The buffer expired, or dropped some of what came after `last`.
            if entries.isEmpty || dropped > last {
                replay.refetch.append(room)
                continue
            }
            replay.events += entries.filter { $0.sequence > last }
        }
        replay.events.sort { $0.sequence < $1.sequence }
        return replay
    }
}
