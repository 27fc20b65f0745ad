import Foundation
import RoomsAPI
import ServiceKit

/// Members' standing in rooms, asked of rooms and cached in Redis (shared by every instance),
/// since it is asked for every message read or sent. Rooms events drop an entry as soon as it
/// changes; a per-room generation number keeps an answer fetched before such a change from being
/// cached after it.
struct RoomAccessCache: Sendable {
    let redis: RedisClient
    let rooms: RoomDirectory
    let ttlSeconds: Int
    let clock: WallClock

    /// The user's standing; nil when there is no such room.
    func access(of userID: UUID, in roomID: UUID) async throws -> RoomAccess? {
        let replies = try await redis.pipeline([["GET", Self.generationKey(roomID)], ["GET", Self.key(roomID, userID)]])
        if let cached = replies[1].string, let access = try? EventJSON.decoder().decode(RoomAccess.self, from: Data(cached.utf8)) {
            return access
        }
        let generation = replies[0].string ?? "0"
        guard let access = try await rooms.access(of: userID, in: roomID) else { return nil }
        // Only members are cached: someone who joins must not be refused for a while after.
        guard access.isMember else { return access }
        var ttl = ttlSeconds
        if access.muted, let until = access.mutedUntil {
            // A mute that ends by itself ends in the cache too.
            ttl = max(1, min(ttl, Int(until.timeIntervalSince(clock.now()).rounded(.up))))
        }
        let json = String(decoding: try EventJSON.encoder().encode(access), as: UTF8.self)
        try await redis.set(Self.key(roomID, userID), to: json, ttlSeconds: ttl, ifGeneration: Self.generationKey(roomID), is: generation)
        return access
    }

    /// Forgets what is cached for `users` in the room (and answers being fetched right now).
    func invalidate(room roomID: UUID, users: [UUID]) async throws {
        var commands = [["INCR", Self.generationKey(roomID)], ["EXPIRE", Self.generationKey(roomID), "86400"]]
        if !users.isEmpty { commands.append(["DEL"] + users.map { Self.key(roomID, $0) }) }
        _ = try await redis.pipeline(commands)
    }

    static func key(_ roomID: UUID, _ userID: UUID) -> String { "messages:access:\(roomID.apiString):\(userID.apiString)" }
    static func generationKey(_ roomID: UUID) -> String { "messages:access-generation:\(roomID.apiString)" }
}
