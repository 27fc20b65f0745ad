import Foundation
import RoomsAPI
import ServiceKit

/// The rooms a user is in now: what every search is limited to. Asked of rooms and cached in
/// Redis with the user's access epoch as it was before rooms was asked (`AccessEpochs`); rooms
/// moves it on before it acknowledges a join, a removal, a ban or a room's deletion, so a search
/// right after one already covers the rooms as they are.
struct RoomScope: Sendable {
    let epochs: AccessEpochs
    let rooms: any RoomDirectory
    let ttlSeconds: Int

    func rooms(of userID: UUID) async throws -> Set<UUID> {
        let cached = try await epochs.lookup(Self.key(userID), dependingOn: [.user(userID)])
        if let list = cached.value {
            return Set(list.split(separator: ",").compactMap { UUID(uuidString: String($0)) })
        }
        let roomIDs = try await rooms.roomIDs(of: userID)
        // Only a cache: a write a full Redis refuses loses nothing but the next lookup's speed.
        try? await epochs.store(roomIDs.map(\.apiString).joined(separator: ","), for: cached, ttlSeconds: ttlSeconds)
        return roomIDs
    }

    static func key(_ userID: UUID) -> String { "search:rooms:\(userID.apiString)" }
}
