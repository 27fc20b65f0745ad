import Foundation
import Logging
import ServiceKit

/// The newest messages of each room, with their reactions and the room's read positions, kept in
/// Redis (shared by every instance), so opening a room does not touch Postgres.
///
/// Never older than what its writer has acknowledged: every change is written through after it
/// commits and before it is answered, and a cached copy is replaced only by a newer version of
/// it. (Another reader may see the old version in the moment between commit and write-through.) A per-room generation number, bumped by every write-through,
/// keeps a fill that read Postgres before some change from caching what that change replaced. A
/// room's entry lives `ttlSeconds` from its fill, which bounds how long a write-through lost to a
/// crash between commit and cache can be missed.
struct RecentMessagesCache: Sendable {
    let redis: RedisClient
    let logger: Logger
    /// Messages kept per room; trimmed back to this once `slack` more have arrived.
    static let size = 100
    static let slack = 50
    static let ttlSeconds = 600

    /// A message as cached: the row and who reacted with what.
    struct Entry: Codable, Sendable {
        var message: Message
        var reactions: [EmojiReactions]
    }

    /// A room as cached: its newest messages (oldest first), whether they are all it has, and
    /// each member's read position.
    struct Snapshot: Sendable {
        let entries: [Entry]
        let complete: Bool
        let positions: [UUID: UUID]
    }

    /// Part of every key: bumped when `Entry`'s JSON changes, so entries cached by an older
    /// version are never read as the new shape (they expire on their own).
    private static let format = "v2"
    // The room in braces: a room's keys share one Redis Cluster slot, as its scripts need.
    static func messagesKey(_ room: UUID) -> String { "messages:\(format):recent:{\(room.apiString)}" }
    static func stateKey(_ room: UUID) -> String { "messages:\(format):recent-state:{\(room.apiString)}" }
    static func readsKey(_ room: UUID) -> String { "messages:\(format):recent-reads:{\(room.apiString)}" }
    static func generationKey(_ room: UUID) -> String { "messages:\(format):recent-generation:{\(room.apiString)}" }

    private static func keys(_ room: UUID) -> [String] {
        [stateKey(room), messagesKey(room), readsKey(room), generationKey(room)]
    }

    /// The room as cached; nil when it is not.
    func snapshot(of room: UUID) async throws -> Snapshot? {
        // One script, so the three parts are of one moment (no drop or expiry in between).
        let reply = try await redis.send(["EVALSHA", Self.snapshotScript.sha1, "4"] + Self.keys(room))
        guard let replies = reply.array, replies.count == 3, let state = replies[0].string else { return nil }
        let decoder = JSONDecoder()
        let entries = Self.pairs(replies[1]).compactMap { try? decoder.decode(Entry.self, from: Data($0.1.utf8)) }
            .sorted { $0.message.id.apiString < $1.message.id.apiString }
        var positions: [UUID: UUID] = [:]
        for (user, position) in Self.pairs(replies[2]) {
            if let user = UUID(uuidString: user), let position = UUID(uuidString: position) { positions[user] = position }
        }
        return Snapshot(entries: entries, complete: state == "complete", positions: positions)
    }

    /// Read before loading a fill from Postgres, and handed to `fill`.
    func generation(of room: UUID) async throws -> String {
        try await redis.send("GET", Self.generationKey(room)).string ?? "0"
    }

    /// Caches what was loaded from Postgres, unless something changed in the room since
    /// `generation` was read (or another fill came first).
    func fill(_ room: UUID, generation: String, snapshot: Snapshot) async throws {
        let encoder = JSONEncoder()
        var arguments = [generation, snapshot.complete ? "complete" : "partial", String(Self.ttlSeconds), String(snapshot.entries.count)]
        for entry in snapshot.entries { arguments += [entry.message.id.apiString, String(decoding: try encoder.encode(entry), as: UTF8.self)] }
        for (user, position) in snapshot.positions { arguments += [user.apiString, position.apiString] }
        _ = try await redis.send(["EVALSHA", Self.fillScript.sha1, "4"] + Self.keys(room) + arguments)
    }

    /// A message was sent or changed (committed): the cached room gets this version of it, unless
    /// it already has a newer one or the message is older than what it keeps.
    func put(_ entry: Entry) async throws {
        _ = try await redis.send(try Self.put(entry))
    }

    /// A message just sent (committed), and its sender's read position moved to it, in one round trip.
    func sent(_ entry: Entry, by sender: UUID) async throws {
        let message = entry.message
        try await redis.pipelineAll(
            [try Self.put(entry), Self.readAdvanced(room: message.roomID, user: sender, to: message.id)], or: "recent-messages cache not updated")
    }

    private static func put(_ entry: Entry) throws -> [String] {
        let json = String(decoding: try JSONEncoder().encode(entry), as: UTF8.self)
        return ["EVALSHA", putScript.sha1, "4"] + keys(entry.message.roomID) + [
            entry.message.id.apiString, String(entry.message.version), json, String(size), String(slack),
        ]
    }

    /// A member's read position moved forward (committed).
    func readAdvanced(room: UUID, user: UUID, to messageID: UUID) async throws {
        _ = try await redis.send(Self.readAdvanced(room: room, user: user, to: messageID))
    }

    private static func readAdvanced(room: UUID, user: UUID, to messageID: UUID) -> [String] {
        ["EVALSHA", readScript.sha1, "4"] + keys(room) + [user.apiString, messageID.apiString]
    }

    /// A member left: they count as a reader no more.
    func readerGone(room: UUID, user: UUID) async throws {
        _ = try await redis.pipeline([
            ["INCR", Self.generationKey(room)], ["EXPIRE", Self.generationKey(room), "86400"], ["HDEL", Self.readsKey(room), user.apiString],
        ])
    }

    /// Forgets the room (after a write-through failed: the next read fills it afresh).
    func drop(_ room: UUID) async {
        do {
            _ = try await redis.pipeline([
                ["INCR", Self.generationKey(room)], ["EXPIRE", Self.generationKey(room), "86400"],
                ["DEL", Self.stateKey(room), Self.messagesKey(room), Self.readsKey(room)],
            ])
        } catch {
            logger.error("could not drop a room's cached messages; it may serve stale ones until they expire", metadata: ["error": "\(error)"])
        }
    }

    private static func pairs(_ reply: RESPValue) -> [(String, String)] {
        let items = (reply.array ?? []).compactMap(\.string)
        return stride(from: 0, to: items.count - 1, by: 2).map { (items[$0], items[$0 + 1]) }
    }

    // KEYS: state, messages, reads, generation (in that order, for every script). The hashes
    // live as long as the state key, which the fill set.

    static let snapshotScript = RedisScript("""
        local state = redis.call('GET', KEYS[1])
        if not state then return false end
        return {state, redis.call('HGETALL', KEYS[2]), redis.call('HGETALL', KEYS[3])}
        """)

    /// ARGV: generation, state, ttl, message count, then id/json pairs, then user/position pairs.
    static let fillScript = RedisScript("""
        if (redis.call('GET', KEYS[4]) or '0') ~= ARGV[1] or redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
        redis.call('DEL', KEYS[2], KEYS[3])
        local count = tonumber(ARGV[4])
        for i = 0, count - 1 do redis.call('HSET', KEYS[2], ARGV[5 + 2 * i], ARGV[6 + 2 * i]) end
        for i = 5 + 2 * count, #ARGV, 2 do redis.call('HSET', KEYS[3], ARGV[i], ARGV[i + 1]) end
        redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
        redis.call('EXPIRE', KEYS[2], ARGV[3])
        redis.call('EXPIRE', KEYS[3], ARGV[3])
        return 1
        """)

    /// ARGV: id, version, json, size, slack.
    static let putScript = RedisScript("""
        redis.call('INCR', KEYS[4])
        redis.call('EXPIRE', KEYS[4], 86400)
        local state = redis.call('GET', KEYS[1])
        if not state then return 0 end
        local current = redis.call('HGET', KEYS[2], ARGV[1])
        if current then
            if cjson.decode(current)['message']['version'] >= tonumber(ARGV[2]) then return 0 end
            redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
            return 1
        end
        local ttl = redis.call('TTL', KEYS[1])
        if ttl > 0 then redis.call('EXPIRE', KEYS[2], ttl) end
        local ids = redis.call('HKEYS', KEYS[2])
        table.sort(ids)
        if state == 'partial' and #ids > 0 and ARGV[1] < ids[1] then return 0 end
        redis.call('HSET', KEYS[2], ARGV[1], ARGV[3])
        local size, slack = tonumber(ARGV[4]), tonumber(ARGV[5])
        if #ids + 1 > size + slack then
            table.insert(ids, ARGV[1])
            table.sort(ids)
            for i = 1, #ids - size do redis.call('HDEL', KEYS[2], ids[i]) end
            redis.call('SET', KEYS[1], 'partial', 'KEEPTTL')
        end
        return 1
        """)

    /// ARGV: user, message id. Positions only move forward.
    static let readScript = RedisScript("""
        redis.call('INCR', KEYS[4])
        redis.call('EXPIRE', KEYS[4], 86400)
        if redis.call('EXISTS', KEYS[1]) == 0 then return 0 end
        local current = redis.call('HGET', KEYS[3], ARGV[1])
        if not current or current < ARGV[2] then redis.call('HSET', KEYS[3], ARGV[1], ARGV[2]) end
        local ttl = redis.call('TTL', KEYS[1])
        if ttl > 0 then redis.call('EXPIRE', KEYS[3], ttl) end
        return 1
        """)
}
