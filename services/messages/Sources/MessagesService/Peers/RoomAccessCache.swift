import Foundation
import RoomsAPI
import ServiceKit

/// Members' standing in rooms, asked of rooms and cached in Redis (shared by every instance),
/// since it is asked for every message read or sent. Each entry holds the room's and the user's
/// access epochs as they were before rooms was asked (`AccessEpochs`); rooms moves them on before
/// it acknowledges a change, so a mute, removal, ban or block holds here on the very next request.
struct RoomAccessCache: Sendable {
    let epochs: AccessEpochs
    let rooms: any RoomDirectory
    let ttlSeconds: Int
    let clock: WallClock

    /// The user's standing; nil when there is no such room.
    func access(of userID: UUID, in roomID: UUID) async throws -> RoomAccess? {
        let cached = try await epochs.lookup(Self.key(roomID, userID), dependingOn: [.room(roomID), .user(userID)])
        if let json = cached.value, let access = try? EventJSON.decoder().decode(RoomAccess.self, from: Data(json.utf8)) {
            return access
        }
        guard let access = try await rooms.access(of: userID, in: roomID) else { return nil }
        // Only members are cached: outsiders probing rooms they are not in would only fill Redis.
        guard access.isMember else { return access }
        var ttl = ttlSeconds
        if access.muted, let until = access.mutedUntil {
            // A mute that ends by itself ends in the cache too.
            ttl = max(1, min(ttl, Int(until.timeIntervalSince(clock.now()).rounded(.up))))
        }
        // Only a cache: a write a full Redis refuses loses nothing but the next lookup's speed.
        try? await epochs.store(String(decoding: try EventJSON.encoder().encode(access), as: UTF8.self), for: cached, ttlSeconds: ttl)
        return access
    }

    static func key(_ roomID: UUID, _ userID: UUID) -> String { "messages:access:\(roomID.apiString):\(userID.apiString)" }
}
