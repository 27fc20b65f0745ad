import Foundation
import ServiceKit

/// How rooms tells other services' caches, before it acknowledges a change, that what they hold
/// about a room or a user may be out of date: a block, ban, removal or mute then holds on the very
/// next request everywhere, however long an entry was cached for. (Rooms' events still go out for
/// everything else; they arrive later.)
///
/// Each room and each user has an epoch in Redis, a random token that rooms replaces after
/// committing any change to the room, who is in it, what they may do there or how it notifies
/// them (the room's), or to which rooms a user is in, what they may do in them and whom they
/// block (the user's). A cache stores the epochs it read before asking rooms with each entry, and
/// an entry whose epochs have moved on is a miss. Tokens never repeat, so an epoch that expired and was set again cannot
/// make an old entry current.
///
/// Gateways hold a cache of this kind too: which rooms each socket gets the events of. With the
/// same round trip rooms publishes who lost a room (`Departure`, on `departuresChannel`), and a
/// gateway stops that member's sockets getting the room's events at once: rooms' own event travels
/// a relay of its own and could come after an event of the room sent right after the answer.
public struct AccessEpochs: Sendable {
    public enum Subject: Sendable, Hashable {
        case room(UUID)
        case user(UUID)

        var key: String {
            switch self {
            case .room(let id): "rooms:epoch:room:\(id.apiString)"
            case .user(let id): "rooms:epoch:user:\(id.apiString)"
            }
        }
    }

    /// How long an epoch is kept after it last moved. Entries are kept for less (`store` caps
    /// them at half of it), so none can outlive the epoch it was filled under.
    public static let retentionSeconds = 86_400
    /// What an entry filled while a subject has no epoch (never changed, or long ago) is stamped with.
    static let noEpoch = "-"

    let redis: RedisClient

    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// Moves the epochs of `rooms` and `users` on, in one round trip. Rooms calls this after
    /// committing a change and before answering it; when Redis refuses, the change stands (and
    /// its event goes out) but is answered 503, since caches may still hold what it changed.
    /// A failed bump is tried again this many times before the change is answered 503: a retry
    /// of the change itself may not come back here (a removal retried finds no member to remove).
    static let attempts = 3

    public func bump(rooms: [UUID], users: [UUID], departure: Departure? = nil) async throws {
        let subjects = Set(rooms.map(Subject.room) + users.map(Subject.user))
        guard !subjects.isEmpty else { return }
        var commands = subjects.map { ["SET", $0.key, UUID().uuidString, "EX", String(Self.retentionSeconds)] }
        if let departure { commands.append(["PUBLISH", redis.namespaced(Self.departuresChannel), try departure.jsonText()]) }
        var failure = ""
        for attempt in 1...Self.attempts {
            do {
                let replies = try await redis.pipeline(commands)
                guard let refusal = replies.prefix(subjects.count).first(where: { $0.string != "OK" }) else { return }
                failure = "SET answered \(refusal)"
            } catch {
                failure = "\(error)"
            }
            if attempt < Self.attempts { try? await Task.sleep(for: .milliseconds(50 * attempt)) }
        }
        throw Self.unavailable(failure)
    }

    /// The channel of departures: one JSON `Departure` per message.
    public static let departuresChannel = "rooms:departures"

    /// Members who just lost a room: removed, banned, left, or the room deleted (`roomDeleted`).
    public struct Departure: Codable, Sendable, Equatable {
        public let roomId: UUID
        public let userIds: [UUID]
        public let roomDeleted: Bool

        public init(roomId: UUID, userIds: [UUID], roomDeleted: Bool) {
            self.roomId = roomId
            self.userIds = userIds
            self.roomDeleted = roomDeleted
        }

        func jsonText() throws -> String {
            String(decoding: try APIJSON.encoder().encode(self), as: UTF8.self)
        }

        /// A published departure; nil when the message is not one.
        public static func decode(_ payload: String) -> Departure? {
            try? APIJSON.decoder().decode(Departure.self, from: Data(payload.utf8))
        }
    }

    /// A cache entry as read together with the epochs it depends on.
    public struct Lookup: Sendable {
        let key: String
        /// The epochs at the time of reading: what a value fetched afterwards is stamped with.
        let stamp: String
        /// The cached value; nil when there is none or it was filled under earlier epochs.
        public let value: String?
    }

    /// Reads the entry at `key` and the epochs of `subjects` (what the entry depends on) in one
    /// round trip.
    public func lookup(_ key: String, dependingOn subjects: [Subject]) async throws -> Lookup {
        let replies = try await redis.pipeline(subjects.map { ["GET", $0.key] } + [["GET", key]])
        let stamp = Self.stamp(replies.dropLast())
        // An entry is "<stamp>\n<value>".
        guard let entry = replies.last?.string, let newline = entry.firstIndex(of: "\n"), entry[..<newline] == stamp else {
            return Lookup(key: key, stamp: stamp, value: nil)
        }
        return Lookup(key: key, stamp: stamp, value: String(entry[entry.index(after: newline)...]))
    }

    /// The epochs of `subjects` now, as one stamp: what a value fetched afterwards is stamped with
    /// by a cache kept elsewhere than Redis (`EpochCache`).
    public func stamp(of subjects: [Subject]) async throws -> String {
        let replies = try await redis.pipeline(subjects.map { ["GET", $0.key] })
        if let error = replies.first(where: { if case .error = $0 { true } else { false } }) {
            throw Self.unavailable("GET answered \(error)")
        }
        return Self.stamp(replies[...])
    }

    private static func stamp(_ epochs: ArraySlice<RESPValue>) -> String {
        epochs.map { $0.string ?? noEpoch }.joined(separator: ",")
    }

    /// Caches `value`, fetched after `lookup` missed, for `ttlSeconds` under the epochs that lookup
    /// read: a change committed meanwhile has moved one of them, so the entry is already stale.
    public func store(_ value: String, for lookup: Lookup, ttlSeconds: Int) async throws {
        let ttl = max(1, min(ttlSeconds, Self.retentionSeconds / 2))
        try await redis.send("SET", lookup.key, lookup.stamp + "\n" + value, "EX", String(ttl))
    }

    private static func unavailable(_ detail: String) -> AppError {
        AppError.serviceUnavailable("access invalidation", internalDetail: detail)
    }
}
