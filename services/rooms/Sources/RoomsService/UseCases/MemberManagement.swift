import Foundation
import RoomsAPI
import ServiceKit

/// Members of a room: listing, adding and removing them, roles and ownership, mutes, and each
/// member's own notification level. Changes that take a body read it (the `read…` closures) only
/// once the caller is known to have the right, so an unknown room is 404 whatever the body holds.
struct MemberManagement: Sendable {
    let env: RoomsEnvironment
    let lifecycle: RoomLifecycle
    /// Members added per user (shared with `Invitations.create`).
    let inviteLimiter: RateLimiter

    func members(of roomID: UUID, page: PageRequest, for userID: UUID, mutedOnly: Bool = false) async throws -> Paged<MembershipResponse> {
        _ = try await env.require(mutedOnly ? .listModeration : .view, roomID: roomID, userID: userID, on: env.db)
        let fetched = try await env.rooms.members(
            of: roomID, after: try TimeCursor.from(page), limit: page.limit + 1, mutedOnly: mutedOnly, now: env.clock.now(), on: env.db)
        return try await Paged(fetched: fetched, limit: page.limit).replacingItems { try await env.withUsers($0) }
    }

    /// An admin adds someone at once (API.md); they hear of it as a `room_invite` notification.
    func add(to roomID: UUID, by userID: UUID, target readTarget: () async throws -> UUID) async throws -> MembershipResponse {
        // Permission first: a caller who may not add learns nothing about which users exist.
        _ = try await env.require(.addMember, roomID: roomID, userID: userID, on: env.db)
        let targetID = try await readTarget()
        let (user, added) = try await inviteLimiter.counting(userID.apiString, now: env.clock.now()) {
            let user = try await env.users.existingUser(targetID)
            let added = try await env.outbox.transaction { tx in
                _ = try await env.requireLocked(.addMember, roomID: roomID, userID: userID, in: tx)
                return try await lifecycle.addMember(user, to: roomID, role: .member, via: "added", actor: userID, in: tx)
            }
            return (user, added)
        }
        try await env.epochs.bump(rooms: [roomID], users: [targetID])
        guard let membership = added.membership else { throw AppError.internal("added member without membership") }
        return MembershipResponse(membership: membership, user: user, now: env.clock.now())
    }

    func remove(_ targetID: UUID, from roomID: UUID, by userID: UUID) async throws {
        try await env.outbox.transaction { tx in
            let (_, actor) = try await env.requireLocked(.removeMember, roomID: roomID, userID: userID, in: tx)
            _ = try await env.moderatable(roomID: roomID, target: targetID, actor: actor, on: tx.connection)
            _ = try await env.rooms.removeMember(roomID: roomID, userID: targetID, on: tx.connection)
            try await tx.emit(RoomEventType.memberRemoved.rawValue, stream: roomID.apiString, data: MemberRemovedPayload(
                roomId: roomID.apiString, userId: targetID.apiString, removedBy: userID.apiString))
        }
        try await env.epochs.bump(rooms: [roomID], users: [targetID], departure: .init(roomId: roomID, userIds: [targetID], roomDeleted: false))
    }

    /// The owner sets a member's role; `owner` hands the room over and makes the old owner an admin.
    func changeRole(of targetID: UUID, in roomID: UUID, by userID: UUID, to readRole: () async throws -> MemberRole) async throws -> MembershipResponse {
        _ = try await env.require(.changeRole, roomID: roomID, userID: userID, on: env.db)
        let role = try await readRole()
        let membership = try await env.outbox.transaction { tx -> Membership in
            _ = try await env.requireLocked(.changeRole, roomID: roomID, userID: userID, in: tx)
            guard targetID != userID else {
                throw AppError.validation(field: "role", "the owner changes their own role by transferring ownership")
            }
            guard var target = try await env.rooms.membership(roomID: roomID, userID: targetID, on: tx.connection) else {
                throw AppError.notFound("that user is not a member of this room")
            }
            let previous = target.role
            guard previous != role else { return target }
            if role == .owner {
                // Demote first: a room has one owner at any moment.
                try await env.rooms.setRole(roomID: roomID, userID: userID, role: .admin, on: tx.connection)
                try await tx.emit(RoomEventType.memberRoleChanged.rawValue, stream: roomID.apiString, data: MemberRoleChangedPayload(
                    roomId: roomID.apiString, userId: userID.apiString, role: .admin, previousRole: .owner, changedBy: userID.apiString))
            }
            try await env.rooms.setRole(roomID: roomID, userID: targetID, role: role, on: tx.connection)
            try await tx.emit(RoomEventType.memberRoleChanged.rawValue, stream: roomID.apiString, data: MemberRoleChangedPayload(
                roomId: roomID.apiString, userId: targetID.apiString, role: role, previousRole: previous, changedBy: userID.apiString))
            target.role = role
            return target
        }
        try await env.epochs.bump(rooms: [roomID], users: role == .owner ? [targetID, userID] : [targetID])
        return try await response(for: membership)
    }

    /// Mutes for the seconds `readDuration` reads from the body, or until unmuted when nil;
    /// `muted` false unmutes.
    func setMute(_ targetID: UUID, in roomID: UUID, muted: Bool, by userID: UUID,
                 duration readDuration: () async throws -> TimeInterval?) async throws -> MembershipResponse {
        _ = try await env.require(.mute, roomID: roomID, userID: userID, on: env.db)
        let duration = try await readDuration()
        let until = muted ? duration.map { env.clock.now().addingTimeInterval($0) } : nil
        let membership = try await env.outbox.transaction { tx -> Membership in
            let (_, actor) = try await env.requireLocked(.mute, roomID: roomID, userID: userID, in: tx)
            _ = try await env.moderatable(roomID: roomID, target: targetID, actor: actor, on: tx.connection)
            guard let updated = try await env.rooms.setMute(roomID: roomID, userID: targetID, muted: muted, until: until, on: tx.connection) else {
                throw AppError.notFound("that user is not a member of this room")
            }
            try await tx.emit(RoomEventType.memberMuted.rawValue, stream: roomID.apiString, data: MemberMutedPayload(
                roomId: roomID.apiString, userId: targetID.apiString, muted: muted, mutedUntil: until, mutedBy: userID.apiString))
            return updated
        }
        try await env.epochs.bump(rooms: [roomID], users: [targetID])
        return try await response(for: membership)
    }

    func setNotificationLevel(in roomID: UUID, for userID: UUID, level readLevel: () async throws -> NotificationLevel) async throws -> NotificationLevelResponse {
        _ = try await env.require(.setNotificationLevel, roomID: roomID, userID: userID, on: env.db)
        let level = try await readLevel()
        guard try await env.rooms.setNotificationLevel(roomID: roomID, userID: userID, level: level, on: env.db) else {
            throw AppError.notFound("room not found")
        }
        // Notify decides who hears of a message by the levels as of the room's epoch.
        try await env.epochs.bump(rooms: [roomID], users: [])
        return NotificationLevelResponse(roomId: roomID.apiString, level: level)
    }

    private func response(for membership: Membership) async throws -> MembershipResponse {
        guard let response = try await env.withUsers([membership]).first else { throw AppError.notFound("user not found") }
        return response
    }
}
