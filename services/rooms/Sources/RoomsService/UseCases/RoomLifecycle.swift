import AuthAPI
import Foundation
import RoomsAPI
import ServiceKit

/// Rooms themselves: creating (each type), reading, changing and deleting them, joining and leaving.
struct RoomLifecycle: Sendable {
    let env: RoomsEnvironment
    let passwords: RoomPasswords
    /// Rooms created per user (group rooms and new direct rooms).
    let createLimiter: RateLimiter

    struct GroupRoomDraft: Sendable {
        let name: String
        let description: String?
        let type: RoomType
        let password: String?
    }

    func createGroupRoom(_ draft: GroupRoomDraft, by userID: UUID) async throws -> RoomResponse {
        let created = try await createLimiter.counting(userID.apiString, now: env.clock.now()) {
            let now = env.clock.now()
            var passwordHash: String?
            if let password = draft.password { passwordHash = try await passwords.hash(password) }
            let room = Room(id: .v7(at: now), name: draft.name, description: draft.description, type: draft.type,
                            passwordHash: passwordHash, createdBy: userID, createdAt: now, lastMessageAt: nil, memberCount: 1)
            let owner = Membership(roomID: room.id, userID: userID, role: .owner, joinedAt: now, muted: false, mutedUntil: nil,
                                   notificationLevel: nil, unreadCount: 0)
            return try await env.outbox.transaction { tx in
                _ = try await env.rooms.insert(room, directPair: nil, on: tx.connection)
                _ = try await env.rooms.addMember(owner, on: tx.connection)
                try await tx.emit(RoomEventType.roomCreated.rawValue, stream: room.id.apiString,
                                  data: RoomCreatedPayload(room: RoomResponse(room: room, membership: nil), memberIds: [userID.apiString]))
                return RoomResponse(room: room, membership: owner)
            }
        }
        try await env.epochs.bump(rooms: [], users: [userID])
        return created
    }

    /// The pair's direct room: the existing one (`created` false) or a new one. Either of the
    /// two having blocked the other refuses it.
    func openDirectRoom(with peerID: UUID, by userID: UUID) async throws -> (room: RoomResponse, created: Bool) {
        guard peerID != userID else { throw AppError.validation(field: "user_id", "a direct room needs another user") }
        let blocks = try await env.blocks.eitherBlocks(userID, peerID, on: env.db)
        guard !blocks.firstBlocksSecond && !blocks.secondBlocksFirst else {
            throw AppError.forbidden("one of you has blocked the other", code: "blocked")
        }
        let pair = Room.directPair(userID, peerID)
        if let existing = try await existingDirectRoom(pair: pair, userID: userID) { return (existing, false) }

        let created = try await createLimiter.counting(userID.apiString, now: env.clock.now()) {
            try await createDirectRoom(pair: pair, between: userID, and: peerID)
        }
        if let created {
            try await env.epochs.bump(rooms: [], users: [userID, peerID])
            return (created, true)
        }
        guard let existing = try await existingDirectRoom(pair: pair, userID: userID) else {
            throw AppError.internal("direct room of \(pair) neither inserted nor found")
        }
        return (existing, false)
    }

    /// The new direct room as `userID` sees it; nil when the other one's open of it won.
    private func createDirectRoom(pair: String, between userID: UUID, and peerID: UUID) async throws -> RoomResponse? {
        let users = try await env.users.users([userID, peerID])
        guard let me = users[userID], let peer = users[peerID] else { throw AppError.notFound("user not found") }
        let now = env.clock.now()
        let room = Room(id: .v7(at: now), name: [me.username, peer.username].sorted().joined(separator: ", "), description: nil,
                        type: .direct, passwordHash: nil, createdBy: userID, createdAt: now, lastMessageAt: nil, memberCount: 2)
        let memberships = [userID, peerID].map {
            Membership(roomID: room.id, userID: $0, role: .member, joinedAt: now, muted: false, mutedUntil: nil, notificationLevel: nil, unreadCount: 0)
        }
        return try await env.outbox.transaction { tx -> RoomResponse? in
            // Two people opening their room at once: one insert wins, the other finds its room.
            guard try await env.rooms.insert(room, directPair: pair, on: tx.connection) else { return nil }
            for membership in memberships { _ = try await env.rooms.addMember(membership, on: tx.connection) }
            try await tx.emit(RoomEventType.roomCreated.rawValue, stream: room.id.apiString,
                              data: RoomCreatedPayload(room: RoomResponse(room: room, membership: nil), memberIds: [userID.apiString, peerID.apiString]))
            return RoomResponse(room: room, membership: memberships[0])
        }
    }

    private func existingDirectRoom(pair: String, userID: UUID) async throws -> RoomResponse? {
        guard let room = try await env.rooms.findDirect(pair: pair, on: env.db) else { return nil }
        return RoomResponse(room: room, membership: try await env.rooms.membership(roomID: room.id, userID: userID, on: env.db))
    }

    /// Public rooms show to anyone (discovery); private and direct rooms only to members.
    func room(_ roomID: UUID, for userID: UUID) async throws -> RoomResponse {
        guard let room = try await env.rooms.find(id: roomID, on: env.db) else { throw AppError.notFound("room not found") }
        let membership = try await env.rooms.membership(roomID: roomID, userID: userID, on: env.db)
        guard membership != nil || room.type == .public else { throw AppError.notFound("room not found") }
        return RoomResponse(room: room, membership: membership)
    }

    func myRooms(_ userID: UUID, page: PageRequest) async throws -> Paged<RoomResponse> {
        let fetched = try await env.rooms.rooms(of: userID, after: try TimeCursor.from(page), limit: page.limit + 1, on: env.db)
        return Paged(fetched: fetched.map { (RoomResponse(room: $0.0.room, membership: $0.0.membership), $0.1) }, limit: page.limit)
    }

    func publicRooms(matching query: String?, page: PageRequest, for userID: UUID) async throws -> Paged<RoomResponse> {
        let cursor = try TimeCursor.from(page)
        let after = try cursor.map { cursor -> (name: String, id: UUID) in
            // Public rooms page by name: the cursor's "time" is unused and its key is "<id>|<name>".
            let parts = cursor.key.split(separator: "|", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, let id = UUID(uuidString: String(parts[0])) else {
                throw AppError.validation(field: "cursor", "cursor is not valid")
            }
            return (String(parts[1]), id)
        }
        let rooms = try await env.rooms.publicRooms(matching: query, after: after, limit: page.limit + 1, on: env.db)
        return Paged(fetched: rooms.map { room in
            (RoomResponse(room: room, membership: nil), TimeCursor(micros: 0, key: room.id.apiString + "|" + room.name.lowercased()))
        }, limit: page.limit)
    }

    struct RoomChange: Sendable {
        var name: String?
        var description: FieldUpdate<String> = .unchanged
        var password: FieldUpdate<String> = .unchanged
    }

    /// `readChange` reads the request's body, once the caller is known to run the room: an
    /// unknown room is 404 whatever the body holds, and nobody can make rooms run bcrypt for a
    /// room they do not run.
    func update(_ roomID: UUID, by userID: UUID, change readChange: () async throws -> RoomChange) async throws -> RoomResponse {
        _ = try await env.require(.updateRoom, roomID: roomID, userID: userID, on: env.db)
        let change = try await readChange()
        let passwordHash: String?? = switch change.password {
        case .unchanged: nil
        case .clear: .some(nil)
        case .set(let password): .some(try await passwords.hash(password))
        }
        let updated = try await env.outbox.transaction { tx in
            guard var room = try await env.rooms.lock(id: roomID, on: tx.connection) else { throw AppError.notFound("room not found") }
            let (_, membership) = try await env.require(.updateRoom, roomID: roomID, userID: userID, on: tx.connection)
            if let name = change.name { room.name = name }
            switch change.description {
            case .unchanged: break
            case .clear: room.description = nil
            case .set(let description): room.description = description
            }
            if let passwordHash {
                guard passwordHash == nil || room.type == .public else {
                    throw AppError.validation(field: "password", "only public rooms can have a password")
                }
                room.passwordHash = passwordHash
            }
            try await env.rooms.update(room, on: tx.connection)
            let response = RoomResponse(room: room, membership: membership)
            try await tx.emit(RoomEventType.roomUpdated.rawValue, stream: room.id.apiString,
                              data: RoomUpdatedPayload(room: RoomResponse(room: room, membership: nil), updatedBy: userID.apiString))
            return response
        }
        // Notifications name the room: a rename holds in the next one.
        try await env.epochs.bump(rooms: [roomID], users: [])
        return updated
    }

    func delete(_ roomID: UUID, by userID: UUID) async throws {
        let memberIDs = try await env.outbox.transaction { tx in
            _ = try await env.rooms.lock(id: roomID, on: tx.connection)
            _ = try await env.require(.deleteRoom, roomID: roomID, userID: userID, on: tx.connection)
            return try await deleteRoom(roomID, by: userID, in: tx)
        }
        try await env.epochs.bump(rooms: [roomID], users: memberIDs, departure: .init(roomId: roomID, userIds: memberIDs, roomDeleted: true))
    }

    /// Deletes the room; returns who was in it.
    private func deleteRoom(_ roomID: UUID, by userID: UUID, in tx: EventTransaction) async throws -> [UUID] {
        let memberIDs = try await env.rooms.memberIDs(of: roomID, on: tx.connection)
        try await env.rooms.delete(id: roomID, on: tx.connection)
        try await tx.emit(RoomEventType.roomDeleted.rawValue, stream: roomID.apiString,
                          data: RoomDeletedPayload(roomId: roomID.apiString, memberIds: memberIDs.map(\.apiString), deletedBy: userID.apiString))
        return memberIDs
    }

    /// Joins a public room (with its password, if it has one); a member joining again gets the
    /// room back. Banned users and private rooms are refused; wrong passwords are throttled
    /// (`RoomPasswords`). `readPassword` reads the request's body once the room is known to be
    /// one the caller may see.
    func join(_ roomID: UUID, by userID: UUID, password readPassword: () async throws -> String?) async throws -> RoomResponse {
        guard let room = try await env.rooms.find(id: roomID, on: env.db) else { throw AppError.notFound("room not found") }
        let existing = try await env.rooms.membership(roomID: roomID, userID: userID, on: env.db)
        guard existing != nil || room.type == .public else { throw AppError.notFound("room not found") }
        let password = try await readPassword()
        if let existing { return RoomResponse(room: room, membership: existing) }
        guard try await !env.bans.isBanned(roomID: roomID, userID: userID, on: env.db) else {
            throw AppError.forbidden("you are banned from this room", code: "banned")
        }
        if let hash = room.passwordHash { try await passwords.check(password, against: hash, userID: userID, roomID: roomID) }
        let user = try await env.users.existingUser(userID)
        do {
            let joined = try await addMember(user, to: roomID, role: .member, via: "join", actor: nil)
            try await env.epochs.bump(rooms: [roomID], users: [userID])
            return joined
        } catch let error as AppError where error.code == "already_member" {
            // A concurrent join got there first: answer as a join of a member does.
            guard let existing = try await env.rooms.membership(roomID: roomID, userID: userID, on: env.db),
                  let room = try await env.rooms.find(id: roomID, on: env.db) else { throw error }
            return RoomResponse(room: room, membership: existing)
        }
    }

    /// Adds `user` to a room in one transaction with its `member_joined` event; refuses banned
    /// users and current members. Used by join, invite links and admins adding people, who move
    /// the access epochs on once it is committed.
    func addMember(_ user: UserSummary, to roomID: UUID, role: MemberRole, via: String, actor: UUID?,
                   in tx: EventTransaction? = nil) async throws -> RoomResponse {
        let add = { (tx: EventTransaction) async throws -> RoomResponse in
            guard let room = try await env.rooms.lock(id: roomID, on: tx.connection) else { throw AppError.notFound("room not found") }
            guard try await !env.bans.isBanned(roomID: roomID, userID: user.id, on: tx.connection) else {
                throw AppError.forbidden("that user is banned from this room", code: "banned")
            }
            let membership = Membership(roomID: roomID, userID: user.id, role: role, joinedAt: env.clock.now(), muted: false,
                                        mutedUntil: nil, notificationLevel: nil, unreadCount: 0)
            guard try await env.rooms.addMember(membership, on: tx.connection) else {
                throw AppError.conflict("already a member of this room", code: "already_member")
            }
            try await tx.emit(RoomEventType.memberJoined.rawValue, stream: roomID.apiString, data: MemberJoinedPayload(
                roomId: roomID.apiString, roomType: room.type, user: user, role: role, via: via, actorId: actor?.apiString))
            var joined = room
            joined.memberCount += 1
            return RoomResponse(room: joined, membership: membership)
        }
        if let tx { return try await add(tx) }
        return try await env.outbox.transaction(add)
    }

    /// Leaves a room. The owner must hand the room over first, unless they are its last member,
    /// in which case the room goes with them.
    func leave(_ roomID: UUID, by userID: UUID) async throws {
        let roomDeleted = try await env.outbox.transaction { tx -> Bool in
            let (room, membership) = try await env.requireLocked(.leave, roomID: roomID, userID: userID, in: tx)
            if membership.role == .owner {
                guard room.memberCount <= 1 else {
                    throw AppError.conflict("transfer ownership before leaving", code: "owner_must_transfer")
                }
                try await tx.emit(RoomEventType.memberLeft.rawValue, stream: roomID.apiString,
                                  data: MemberLeftPayload(roomId: roomID.apiString, userId: userID.apiString))
                _ = try await deleteRoom(roomID, by: userID, in: tx)
                return true
            }
            _ = try await env.rooms.removeMember(roomID: roomID, userID: userID, on: tx.connection)
            try await tx.emit(RoomEventType.memberLeft.rawValue, stream: roomID.apiString,
                              data: MemberLeftPayload(roomId: roomID.apiString, userId: userID.apiString))
            return false
        }
        // Whether or not the room went with them, only they and the room changed.
        try await env.epochs.bump(rooms: [roomID], users: [userID], departure: .init(roomId: roomID, userIds: [userID], roomDeleted: roomDeleted))
    }
}
