import Foundation
import RoomsAPI
import ServiceKit

/// Bans: out of the room, and kept out (join, invite links, admins adding) until unbanned.
struct Bans: Sendable {
    let env: RoomsEnvironment

    /// Bans a member (removing them) or someone not in the room yet. `readBan` reads who and
    /// why from the request's body, once the caller is known to have the right.
    func ban(from roomID: UUID, by userID: UUID, ban readBan: () async throws -> (targetID: UUID, reason: String?)) async throws -> BanResponse {
        // Permission first: a caller who may not ban learns nothing about which users exist.
        _ = try await env.require(.ban, roomID: roomID, userID: userID, on: env.db)
        let (targetID, reason) = try await readBan()
        guard targetID != userID else { throw AppError.validation(field: "user_id", "you cannot ban yourself") }
        let user = try await env.users.existingUser(targetID)
        let ban = try await env.outbox.transaction { tx -> Ban in
            let (_, actor) = try await env.requireLocked(.ban, roomID: roomID, userID: userID, in: tx)
            let wasMember = try await env.rooms.membership(roomID: roomID, userID: targetID, on: tx.connection) != nil
            if wasMember {
                _ = try await env.moderatable(roomID: roomID, target: targetID, actor: actor, on: tx.connection)
                _ = try await env.rooms.removeMember(roomID: roomID, userID: targetID, on: tx.connection)
            }
            let ban = try await env.bans.ban(
                Ban(roomID: roomID, userID: targetID, bannedBy: userID, reason: reason, createdAt: env.clock.now()), on: tx.connection)
            try await tx.emit(RoomEventType.memberBanned.rawValue, stream: roomID.apiString, data: MemberBannedPayload(
                roomId: roomID.apiString, userId: targetID.apiString, bannedBy: userID.apiString, reason: reason, wasMember: wasMember))
            return ban
        }
        // Banning someone not in the room yet takes nothing from them: a departure does no harm.
        try await env.epochs.bump(rooms: [roomID], users: [targetID], departure: .init(roomId: roomID, userIds: [targetID], roomDeleted: false))
        return BanResponse(ban: ban, user: user)
    }

    func unban(_ targetID: UUID, from roomID: UUID, by userID: UUID) async throws {
        try await env.outbox.transaction { tx in
            _ = try await env.requireLocked(.ban, roomID: roomID, userID: userID, in: tx)
            guard try await env.bans.unban(roomID: roomID, userID: targetID, on: tx.connection) else {
                throw AppError.notFound("that user is not banned here")
            }
            try await tx.emit(RoomEventType.memberUnbanned.rawValue, stream: roomID.apiString, data: MemberUnbannedPayload(
                roomId: roomID.apiString, userId: targetID.apiString, unbannedBy: userID.apiString))
        }
        try await env.epochs.bump(rooms: [roomID], users: [targetID])
    }

    func bans(in roomID: UUID, page: PageRequest, for userID: UUID) async throws -> Paged<BanResponse> {
        _ = try await env.require(.listModeration, roomID: roomID, userID: userID, on: env.db)
        let fetched = try await env.bans.bans(in: roomID, after: try TimeCursor.from(page), limit: page.limit + 1, on: env.db)
        return try await Paged(fetched: fetched, limit: page.limit).replacingItems { bans in
            let users = try await env.users.users(bans.map(\.userID))
            return bans.compactMap { ban in users[ban.userID].map { BanResponse(ban: ban, user: $0) } }
        }
    }
}
