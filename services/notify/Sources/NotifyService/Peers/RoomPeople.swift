import Foundation
import RoomsAPI
import ServiceKit

/// Who is in a room (roles, notification levels) and who blocked whom, asked of rooms and kept in
/// memory while rooms' access epochs say it is current (`EpochCache`): a message in a room of
/// 1,000 members costs a Redis `GET`, not the roster read, sent and decoded again. Rooms moves a
/// room's epoch before it acknowledges a join, leave, role or level change, and both users' on a
/// block, so a change made a moment ago counts.
struct RoomPeople: Sendable {
    let rooms: any RoomDirectory
    let rosters: EpochCache<RoomRoster?>
    let blockers: EpochCache<Set<UUID>>

    init(rooms: any RoomDirectory, epochs: AccessEpochs, clock: WallClock) {
        self.rooms = rooms
        rosters = EpochCache(epochs: epochs, capacity: 1_000, clock: clock)
        blockers = EpochCache(epochs: epochs, capacity: 10_000, clock: clock)
    }

    /// The room's members; nil when there is no such room.
    func roster(of roomID: UUID) async throws -> RoomRoster? {
        try await rosters.value(of: .room(roomID)) { try await rooms.roster(of: roomID) }
    }

    /// Everyone who has blocked the user.
    func blockers(of userID: UUID) async throws -> Set<UUID> {
        try await blockers.value(of: .user(userID)) { try await rooms.blockers(of: userID) }
    }
}
