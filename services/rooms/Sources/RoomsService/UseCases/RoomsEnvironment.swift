import AuthAPI
import Foundation
import Logging
import PostgresNIO
import RoomsAPI
import ServiceKit

/// What every use case works with: the stores, the outbox, auth's users, the access epochs, and the clock.
struct RoomsEnvironment: Sendable {
    let db: PostgresClient
    let outbox: Outbox
    let rooms: RoomStore
    let bans: BanStore
    let invites: InviteStore
    let blocks: BlockStore
    let users: any UserDirectory
    /// Moved on after each committed change to who may do what, before it is answered.
    let epochs: AccessEpochs
    let clock: WallClock
    let logger: Logger

    /// The room and the caller's membership, once `action` is allowed; otherwise the error the
    /// caller should see: 404 for rooms they may not know exist (private and direct rooms they
    /// are not in), 403 `not_a_member` for public ones, 403 `muted` or `forbidden` for members.
    func require(_ action: RoomAction, roomID: UUID, userID: UUID, on db: some PostgresQueryable) async throws -> (Room, Membership) {
        guard let room = try await rooms.find(id: roomID, on: db) else { throw AppError.notFound("room not found") }
        guard let membership = try await rooms.membership(roomID: roomID, userID: userID, on: db) else {
            if room.type != .public { throw AppError.notFound("room not found") }
            throw AppError.forbidden("you are not a member of this room", code: "not_a_member")
        }
        let muted = membership.isMuted(at: clock.now())
        guard Permissions.allows(action, role: membership.role, roomType: room.type, muted: muted) else {
            throw action.refusal(roomType: room.type.rawValue, muted: muted, blocked: false)
        }
        return (room, membership)
    }

    /// `require` inside a change: locks the room first, so the caller's role cannot change
    /// between the check and the write, and every change takes its locks in one order (room row,
    /// then its other rows, then the event stream) and cannot deadlock with another.
    func requireLocked(_ action: RoomAction, roomID: UUID, userID: UUID, in tx: EventTransaction) async throws -> (Room, Membership) {
        guard try await rooms.lock(id: roomID, on: tx.connection) != nil else { throw AppError.notFound("room not found") }
        return try await require(action, roomID: roomID, userID: userID, on: tx.connection)
    }

    /// `target`'s membership, when the caller (`actor`) may moderate them: 404 when they are not
    /// a member, 403 when they rank the same or higher.
    func moderatable(roomID: UUID, target: UUID, actor: Membership, on db: some PostgresQueryable) async throws -> Membership {
        guard let membership = try await rooms.membership(roomID: roomID, userID: target, on: db) else {
            throw AppError.notFound("that user is not a member of this room")
        }
        guard Permissions.mayModerate(actor: actor.role, target: membership.role) else {
            throw AppError.forbidden("you can only act on members whose role is below yours")
        }
        return membership
    }

    /// A membership with its user object, for replies.
    func withUsers(_ memberships: [Membership]) async throws -> [MembershipResponse] {
        let users = try await users.users(memberships.map(\.userID))
        let now = clock.now()
        return memberships.compactMap { membership in
            users[membership.userID].map { MembershipResponse(membership: membership, user: $0, now: now) }
        }
    }
}
