import Foundation
import RoomsAPI
import ServiceKit

/// The rooms a user is in now: what every search is limited to. Asked of rooms and cached in
/// Redis; rooms' membership events drop the entry, and a per-user generation number keeps a list
/// fetched before such a change from being cached after it.
struct RoomScope: Sendable {
    let redis: RedisClient
    let rooms: RoomDirectory
    let ttlSeconds: Int

    func rooms(of userID: UUID) async throws -> Set<UUID> {
        let replies = try await redis.pipeline([["GET", Self.generationKey(userID)], ["GET", Self.key(userID)]])
        if let cached = replies[1].string {
            return Set(cached.split(separator: ",").compactMap { UUID(uuidString: String($0)) })
        }
        let generation = replies[0].string ?? "0"
        let roomIDs = try await rooms.roomIDs(of: userID)
        try await redis.set(
            Self.key(userID), to: roomIDs.map(\.apiString).joined(separator: ","), ttlSeconds: ttlSeconds,
            ifGeneration: Self.generationKey(userID), is: generation)
        return roomIDs
    }

    /// Forgets the cached rooms of `users` (and lists being fetched for them right now).
    func invalidate(_ users: [UUID]) async throws {
        guard !users.isEmpty else { return }
        var commands: [[String]] = []
        for user in users {
            commands += [["INCR", Self.generationKey(user)], ["EXPIRE", Self.generationKey(user), "86400"], ["DEL", Self.key(user)]]
        }
        _ = try await redis.pipeline(commands)
    }

    static func key(_ userID: UUID) -> String { "search:rooms:\(userID.apiString)" }
    static func generationKey(_ userID: UUID) -> String { "search:rooms-generation:\(userID.apiString)" }
}
