import AuthAPI
import Foundation
import Logging
import PostgresNIO
import RoomsAPI
import ServiceKit

/// What every use case works with: the stores, the outbox, rooms' answers about members, auth's
/// users, and the clock.
struct MessagesEnvironment: Sendable {
    let db: PostgresClient
    let outbox: Outbox
    let messages: MessageStore
    let reactions: ReactionStore
    let receipts: ReceiptStore
    let pins: PinStore
    let reports: ReportStore
    let access: RoomAccessCache
    let users: UserDirectory
    let ids: EventIDs
    let clock: WallClock
    let logger: Logger

    /// The caller's standing in the room once `action` is allowed; otherwise the error they
    /// should see, as rooms words it: 404 for rooms they may not know exist (private and direct
    /// rooms they are not in), 403 `not_a_member` for public ones, then `muted`, `blocked` or
    /// `forbidden` for members.
    @discardableResult
    func require(_ action: RoomActionName, roomID: UUID, userID: UUID) async throws -> RoomAccess {
        guard let access = try await access.access(of: userID, in: roomID) else { throw AppError.notFound("room not found") }
        guard access.isMember else {
            if access.roomType != "public" { throw AppError.notFound("room not found") }
            throw AppError.forbidden("you are not a member of this room", code: "not_a_member")
        }
        try Self.check(action, access)
        return access
    }

    /// The message and the caller's standing in its room, once the caller may `action` there.
    /// Only members see a room's messages: to anyone else a message does not exist (404).
    func requireMessage(_ id: UUID, _ action: RoomActionName, userID: UUID) async throws -> (Message, RoomAccess) {
        guard let message = try await messages.find(id: id, on: db),
            let access = try await access.access(of: userID, in: message.roomID), access.isMember
        else { throw AppError.notFound("message not found") }
        try Self.check(action, access)
        return (message, access)
    }

    private static func check(_ action: RoomActionName, _ access: RoomAccess) throws {
        guard !access.allows(action.rawValue) else { return }
        if access.muted && action.deniedWhileMuted { throw AppError.forbidden("you are muted in this room", code: "muted") }
        if access.blocked && action.deniedByBlock {
            throw AppError.forbidden("a block between you and this user stops new messages", code: "blocked")
        }
        throw AppError.forbidden("your role in this room does not allow this")
    }

    /// The messages as API.md shapes them for `viewer`: sender objects, reactions with `me`,
    /// read counts. Without a viewer (for events, which every member gets) `me` is false.
    func responses(_ messages: [Message], viewer: UUID?) async throws -> [MessageResponse] {
        guard !messages.isEmpty else { return [] }
        let ids = messages.map(\.id)
        async let senders = users.users(messages.compactMap(\.senderID))
        async let reactions = self.reactions.summaries(of: ids, viewer: viewer, on: db)
        async let readCounts = receipts.readCounts(of: messages, on: db)
        let (users, reactionsByMessage, counts) = try await (senders, reactions, readCounts)
        return messages.map { message in
            MessageResponse(
                message: message, sender: message.senderID.flatMap { users[$0] }, reactions: reactionsByMessage[message.id] ?? [],
                readCount: counts[message.id] ?? 0)
        }
    }

    func response(_ message: Message, viewer: UUID?) async throws -> MessageResponse {
        try await responses([message], viewer: viewer)[0]
    }
}

/// The rooms actions messages asks about (rooms' `RoomAction` raw values).
enum RoomActionName: String, Sendable {
    case view, post, react
    case pinMessage = "pin_message"
    case deleteAnyMessage = "delete_any_message"
    case reviewReports = "review_reports"

    /// Refused to a muted member: they can read, not speak.
    var deniedWhileMuted: Bool { self == .post || self == .react }
    /// Refused in a direct room whose two members are separated by a block.
    var deniedByBlock: Bool { self == .post || self == .react }
}
