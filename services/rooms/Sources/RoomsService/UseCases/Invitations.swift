import Foundation
import RoomsAPI
import ServiceKit

/// Invite links: admins make and revoke them; anyone holding a good one can join with it.
struct Invitations: Sendable {
    static let defaultLifetime: TimeInterval = 7 * 86400
    static let maxLifetime: TimeInterval = 365 * 86400

    let env: RoomsEnvironment
    let lifecycle: RoomLifecycle
    /// Invite links created and members added, per user (shared with `MemberManagement.add`).
    let inviteLimiter: RateLimiter

    /// `readTerms` reads the link's `maxUses` (nil: unlimited) and lifetime (nil: the default)
    /// from the request's body, once the caller is known to manage the room's invites.
    func create(in roomID: UUID, by userID: UUID,
                terms readTerms: () async throws -> (maxUses: Int?, expiresIn: TimeInterval?)) async throws -> InviteResponse {
        _ = try await env.require(.manageInvites, roomID: roomID, userID: userID, on: env.db)
        let terms = try await readTerms()
        return try await inviteLimiter.counting(userID.apiString, now: env.clock.now()) {
            let now = env.clock.now()
            let invite = Invite(code: InviteCode.generate(), roomID: roomID, createdBy: userID, createdAt: now,
                                expiresAt: now.addingTimeInterval(terms.expiresIn ?? Self.defaultLifetime), maxUses: terms.maxUses,
                                uses: 0, revoked: false)
            try await env.outbox.transaction { tx in
                _ = try await env.requireLocked(.manageInvites, roomID: roomID, userID: userID, in: tx)
                try await env.invites.insert(invite, on: tx.connection)
                try await tx.emit(RoomEventType.inviteCreated.rawValue, stream: roomID.apiString, data: InviteCreatedPayload(
                    roomId: roomID.apiString, createdBy: userID.apiString, expiresAt: invite.expiresAt, maxUses: terms.maxUses))
            }
            return InviteResponse(invite: invite, room: nil)
        }
    }

    /// The invite with a preview of its room, for whoever holds the code.
    func invite(_ code: String) async throws -> InviteResponse {
        let invite = try await find(code)
        guard let room = try await env.rooms.find(id: invite.roomID, on: env.db) else { throw AppError.notFound("invite not found") }
        return InviteResponse(invite: invite, room: RoomResponse(room: room, membership: nil))
    }

    /// Joins the invite's room, using up one use; expired, revoked and used-up invites are 410.
    func accept(_ code: String, by userID: UUID) async throws -> RoomResponse {
        let invite = try await find(code)
        let user = try await env.users.existingUser(userID)
        let joined = try await env.outbox.transaction { tx in
            // The room first, like every change to it (deleting the room also deletes its invites).
            guard try await env.rooms.lock(id: invite.roomID, on: tx.connection) != nil else { throw AppError.notFound("invite not found") }
            guard try await env.invites.consume(code: code, now: env.clock.now(), on: tx.connection) != nil else {
                throw try await whyUnusable(code, on: tx)
            }
            return try await lifecycle.addMember(user, to: invite.roomID, role: .member, via: "invite", actor: invite.createdBy, in: tx)
        }
        try await env.epochs.bump(rooms: [invite.roomID], users: [userID])
        return joined
    }

    func revoke(_ code: String, by userID: UUID) async throws {
        let invite = try await find(code)
        try await env.outbox.transaction { tx in
            _ = try await env.requireLocked(.manageInvites, roomID: invite.roomID, userID: userID, in: tx)
            _ = try await env.invites.revoke(code: code, on: tx.connection)
            try await tx.emit(RoomEventType.inviteRevoked.rawValue, stream: invite.roomID.apiString, data: InviteRevokedPayload(
                roomId: invite.roomID.apiString, createdBy: invite.createdBy.apiString, revokedBy: userID.apiString))
        }
    }

    func invites(in roomID: UUID, page: PageRequest, for userID: UUID) async throws -> Paged<InviteResponse> {
        _ = try await env.require(.manageInvites, roomID: roomID, userID: userID, on: env.db)
        let fetched = try await env.invites.invites(in: roomID, after: try TimeCursor.from(page), limit: page.limit + 1, on: env.db)
        return Paged(fetched: fetched.map { (InviteResponse(invite: $0.0, room: nil), $0.1) }, limit: page.limit)
    }

    private func find(_ code: String) async throws -> Invite {
        guard InviteCode.isWellFormed(code), let invite = try await env.invites.find(code: code, on: env.db) else {
            throw AppError.notFound("invite not found")
        }
        return invite
    }

    private func whyUnusable(_ code: String, on tx: EventTransaction) async throws -> AppError {
        guard let invite = try await env.invites.find(code: code, on: tx.connection) else { return AppError.notFound("invite not found") }
        if invite.revoked { return AppError(.gone, code: "invite_revoked", message: "this invite was revoked") }
        if invite.expiresAt <= env.clock.now() { return AppError(.gone, code: "invite_expired", message: "this invite has expired") }
        return AppError(.gone, code: "invite_used_up", message: "this invite has been used up")
    }
}
