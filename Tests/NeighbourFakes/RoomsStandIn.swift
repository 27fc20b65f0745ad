import Foundation
import RoomsAPI
import Synchronization

/// Rooms, for a service tested without it: rooms with their type, name and members (role and
/// notification level in force), and who blocked whom, changed by the test and answered through a
/// `RoomDirectoryStub` (`directory`; its `access` question is left unanswered). Every change moves
/// the access epochs rooms moves for it (`AccessEpochs`), so the service's caches see it at once.
public final class RoomsStandIn: Sendable {
    struct Room {
        let type: String
        let name: String
        /// Role and notification level in force, by member.
        var members: [UUID: (role: String, level: String)]
    }

    private let state = Mutex<(rooms: [UUID: Room], blockersOf: [UUID: Set<UUID>])>(([:], [:]))
    private let epochs: AccessEpochs

    public init(epochs: AccessEpochs) {
        self.epochs = epochs
    }

    /// What the service asks rooms, answered from this model.
    public var directory: RoomDirectoryStub {
        var stub = RoomDirectoryStub()
        stub.roomIDs = { [self] user in state.withLock { Set($0.rooms.filter { $0.value.members[user] != nil }.keys) } }
        stub.roster = { [self] id in
            state.withLock { state in
                state.rooms[id].map { room in
                    RoomRoster(roomID: id, roomType: room.type, roomName: room.name, members: room.members.map {
                        RoomRoster.Member(userID: $0.key, role: $0.value.role, notificationLevel: $0.value.level)
                    })
                }
            }
        }
        stub.blockers = { [self] user in state.withLock { $0.blockersOf[user] ?? [] } }
        return stub
    }

    /// A new room of `type` (`public`, `private` or `direct`) with `owner` as its owner (a direct
    /// room's two people are members).
    public func create(_ type: String, name: String, owner: UUID) async throws -> UUID {
        let id = UUID.v7()
        state.withLock { $0.rooms[id] = Room(type: type, name: name, members: [:]) }
        try await add(owner, to: id, role: type == "direct" ? "member" : "owner")
        return id
    }

    /// `user` is a member from now on, at the room type's default level (rooms': `all` in direct
    /// rooms, `mentions` elsewhere).
    public func add(_ user: UUID, to room: UUID, role: String = "member") async throws {
        state.withLock { state in
            let level = state.rooms[room]?.type == "direct" ? "all" : "mentions"
            state.rooms[room]?.members[user] = (role, level)
        }
        try await epochs.bump(rooms: [room], users: [user])
    }

    public func remove(_ user: UUID, from room: UUID) async throws {
        state.withLock { _ = $0.rooms[room]?.members.removeValue(forKey: user) }
        try await epochs.bump(rooms: [room], users: [user])
    }

    /// `user`'s notification level in `room` (`all`, `mentions` or `muted`).
    public func setLevel(_ level: String, of user: UUID, in room: UUID) async throws {
        state.withLock { $0.rooms[room]?.members[user]?.level = level }
        try await epochs.bump(rooms: [room], users: [])
    }

    /// `blocker` blocks `blocked`.
    public func block(_ blocked: UUID, by blocker: UUID) async throws {
        state.withLock { _ = $0.blockersOf[blocked, default: []].insert(blocker) }
        try await epochs.bump(rooms: [], users: [blocked, blocker])
    }
}
