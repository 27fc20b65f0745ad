import Foundation
import ServiceKit

/// What other services ask rooms (the internal API): answers for every message sent, so each is
/// one or two indexed reads and nothing else.
struct MembershipQueries: Sendable {
    let env: RoomsEnvironment

    /// A user's standing in a room; nil when the room does not exist.
    func access(of userID: UUID, in roomID: UUID) async throws -> MemberAccessResponse? {
        guard let room = try await env.rooms.find(id: roomID, on: env.db) else { return nil }
        let membership = try await env.rooms.membership(roomID: roomID, userID: userID, on: env.db)
        let banned = membership == nil ? try await env.bans.isBanned(roomID: roomID, userID: userID, on: env.db) : false
        let now = env.clock.now()
        let muted = membership?.isMuted(at: now) ?? false
        let blocked = room.type == .direct && membership != nil ? try await env.blocks.separates(directRoom: roomID, member: userID, on: env.db) : false
        return MemberAccessResponse(
            roomId: roomID.apiString, roomType: room.type, userId: userID.apiString, isMember: membership != nil,
            role: membership?.role, muted: muted, mutedUntil: muted ? membership?.mutedUntil : nil, banned: banned, blocked: blocked,
            notificationLevel: membership.map { $0.notificationLevel ?? room.type.defaultNotificationLevel },
            allowedActions: membership.map {
                Permissions.allowedActions(role: $0.role, roomType: room.type, muted: muted, blocked: blocked).map(\.rawValue)
            } ?? [])
    }

    /// Every member with their role and notification level; nil when the room does not exist.
    func members(of roomID: UUID) async throws -> RoomMembersResponse? {
        guard let room = try await env.rooms.find(id: roomID, on: env.db) else { return nil }
        var members: [RoomMembersResponse.Member] = []
        var cursor: TimeCursor?
        repeat {
            let page = try await env.rooms.members(of: roomID, after: cursor, limit: 1000, now: env.clock.now(), on: env.db)
            members += page.map { membership, _ in
                RoomMembersResponse.Member(userId: membership.userID.apiString, role: membership.role,
                                           notificationLevel: membership.notificationLevel ?? room.type.defaultNotificationLevel)
            }
            cursor = page.count == 1000 ? page.last?.1 : nil
        } while cursor != nil
        return RoomMembersResponse(roomId: roomID.apiString, roomType: room.type, roomName: room.name, members: members)
    }

    func roomIDs(of userID: UUID) async throws -> [String] {
        try await env.rooms.roomIDs(of: userID, on: env.db).map(\.apiString)
    }

    func blocks(between first: UUID, and second: UUID) async throws -> BlockPairResponse {
        let blocks = try await env.blocks.eitherBlocks(first, second, on: env.db)
        return BlockPairResponse(userId: first.apiString, otherId: second.apiString,
                                 userBlocksOther: blocks.firstBlocksSecond, otherBlocksUser: blocks.secondBlocksFirst)
    }

    func blockedIDs(by userID: UUID) async throws -> [String] {
        try await env.blocks.blockedIDs(by: userID, on: env.db).map(\.apiString)
    }

    func blockerIDs(of userID: UUID) async throws -> [String] {
        try await env.blocks.blockerIDs(of: userID, on: env.db).map(\.apiString)
    }
}
