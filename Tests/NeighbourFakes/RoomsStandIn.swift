import Foundation
import RoomsAPI
import Synchronization

/// Rooms, for a service tested without it: rooms with their type, name, members (role,
/// notification level in force, muted or not) and banned users, and who blocked whom, changed by
/// the test and answered through a `RoomDirectoryStub` (`directory`), with rooms' own permission
/// table (`RoomAction.roles`) deciding `allowed_actions`. Every change moves the access epochs
/// rooms moves for it (`AccessEpochs`), so the service's caches see it at once.
public final class RoomsStandIn: Sendable {
    struct Member {
        var role: String
        var level: String
        var muted = false
    }

    struct Room {
        let type: String
        let name: String
        var members: [UUID: Member]
        var banned: Set<UUID> = []
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
        stub.access = { [self] user, id in state.withLock { state in state.rooms[id].map { Self.access(of: user, in: id, $0, state.blockersOf) } } }
        return stub
    }

    /// `user`'s standing in `room`, as rooms' membership endpoint answers it.
    private static func access(of user: UUID, in id: UUID, _ room: Room, _ blockersOf: [UUID: Set<UUID>]) -> RoomAccess {
        guard let member = room.members[user] else {
            return RoomAccess(
                roomID: id, roomType: room.type, isMember: false, role: nil, banned: room.banned.contains(user), notificationLevel: nil,
                allowedActions: [])
        }
        // A direct room whose two people are separated by a block, either way.
        let blocked = room.type == "direct" && room.members.keys.contains { other in
            other != user && ((blockersOf[user] ?? []).contains(other) || (blockersOf[other] ?? []).contains(user))
        }
        return RoomAccess(
            roomID: id, roomType: room.type, isMember: true, role: member.role, muted: member.muted, blocked: blocked,
            notificationLevel: member.level,
            allowedActions: Set(RoomAction.allowed(role: member.role, roomType: room.type, muted: member.muted, blocked: blocked).map(\.rawValue)))
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
            state.rooms[room]?.members[user] = Member(role: role, level: level)
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

    public func setRole(_ role: String, of user: UUID, in room: UUID) async throws {
        state.withLock { $0.rooms[room]?.members[user]?.role = role }
        try await epochs.bump(rooms: [room], users: [user])
    }

    public func setMuted(_ muted: Bool, _ user: UUID, in room: UUID) async throws {
        state.withLock { $0.rooms[room]?.members[user]?.muted = muted }
        try await epochs.bump(rooms: [room], users: [user])
    }

    /// `user` is out of `room` and may not come back.
    public func ban(_ user: UUID, from room: UUID) async throws {
        state.withLock { state in
            state.rooms[room]?.members[user] = nil
            state.rooms[room]?.banned.insert(user)
        }
        try await epochs.bump(rooms: [room], users: [user])
    }

    /// `blocker` blocks `blocked`, or (`blocking` false) no longer does.
    public func block(_ blocked: UUID, by blocker: UUID, blocking: Bool = true) async throws {
        state.withLock { state in
            if blocking { state.blockersOf[blocked, default: []].insert(blocker) } else { state.blockersOf[blocked]?.remove(blocker) }
        }
        try await epochs.bump(rooms: [], users: [blocked, blocker])
    }
}
