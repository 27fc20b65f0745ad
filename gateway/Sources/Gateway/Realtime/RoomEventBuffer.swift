import Foundation
import ServiceKit

/// Each room's newest events, kept in Redis (shared by every gateway instance) so a client that
/// reconnects can `resume` from the last event it saw. `EventIntake` fills it; a resume reads it.
struct RoomEventBuffer: Sendable {
    let redis: RedisClient
    /// Events kept per room.
    let capacity: Int
    /// How long a quiet room's buffer is kept.
    let retentionSeconds: Int

    static func eventsKey(_ room: UUID?) -> String { "gateway:room-events:\(room?.apiString ?? "none")" }
    static func floorKey(_ room: UUID?) -> String { "gateway:room-events-floor:\(room?.apiString ?? "none")" }

    /// What a resume after `lastEventID` brings: the missed events of `rooms` (oldest first), and
    /// the rooms whose buffer no longer reaches back to it (their client refetches with `after=`).
    struct Replay {
        var events: [Event] = []
        var refetch: [UUID] = []
    }

    func replay(rooms: Set<UUID>, after lastEventID: UUID, now: Date) async throws -> Replay {
        var replay = Replay()
        let rooms = Array(rooms)
        // Older than the retention: an empty buffer may have expired with events in it.
        guard let lastTime = lastEventID.v7Date, now.timeIntervalSince(lastTime) < TimeInterval(retentionSeconds) else {
            replay.refetch = rooms
            return replay
        }
        let replies = try await redis.pipeline(rooms.flatMap { [["GET", Self.floorKey($0)], ["LRANGE", Self.eventsKey($0), "0", "-1"]] })
        let last = lastEventID.apiString
        for (index, room) in rooms.enumerated() {
            if let floor = replies[2 * index].string, floor >= last {
                replay.refetch.append(room)
                continue
            }
            for entry in replies[2 * index + 1].array ?? [] {
                guard let text = entry.string, let event = try? EventJSON.decoder().decode(Event.self, from: Data(text.utf8)) else { continue }
                if event.id.apiString > last { replay.events.append(event) }
            }
        }
        replay.events.sort { $0.id.apiString < $1.id.apiString }
        return replay
    }
}

extension UUID {
    /// When a UUIDv7 was made (its first 48 bits are Unix milliseconds); nil for other versions.
    var v7Date: Date? {
        let bytes = uuid
        guard bytes.6 >> 4 == 7 else { return nil }
        let millis = [bytes.0, bytes.1, bytes.2, bytes.3, bytes.4, bytes.5].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return Date(timeIntervalSince1970: Double(millis) / 1000)
    }
}
