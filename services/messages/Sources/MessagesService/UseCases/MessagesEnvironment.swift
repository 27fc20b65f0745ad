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
    let recent: RecentMessagesCache
    let access: RoomAccessCache
    let users: UserCache
    let ids: EventIDs
    let clock: WallClock
    let logger: Logger

    /// A new message's id in `room`, made under the room's lock: after the room's newest message,
    /// whichever instance of messages wrote it, so ids (and `after=` pages) follow the order
    /// messages were committed in even when instances' clocks disagree.
    func newMessageID(in room: UUID, at now: Date, on connection: PostgresConnection) async throws -> UUID {
        ids.next(at: now, after: try await messages.newestID(in: room, on: connection))
    }

    /// The caller's standing in the room once `action` is allowed; otherwise the error they
    /// should see, as rooms words it (`RoomAccess.require`).
    @discardableResult
    func require(_ action: RoomAction, roomID: UUID, userID: UUID) async throws -> RoomAccess {
        guard let access = try await access.access(of: userID, in: roomID) else { throw AppError.notFound("room not found") }
        try access.require(action)
        return access
    }

    /// The message and the caller's standing in its room, once the caller may `action` there.
    /// Only members see a room's messages: to anyone else a message does not exist (404).
    func requireMessage(_ id: UUID, _ action: RoomAction, userID: UUID) async throws -> (Message, RoomAccess) {
        guard let message = try await messages.find(id: id, on: db),
            let access = try await access.access(of: userID, in: message.roomID), access.isMember
        else { throw AppError.notFound("message not found") }
        try access.require(action)
        return (message, access)
    }

    /// The messages as API.md shapes them for `viewer`: sender objects, reactions with `me`,
    /// read counts. Without a viewer (for events, which every member gets) `me` is false. Inside
    /// a transaction, pass its connection: taking another from the pool while holding a room's
    /// lock could wait for ever on a pool held by that room's waiters.
    func responses(_ messages: [Message], viewer: UUID?, on connection: PostgresConnection? = nil) async throws -> [MessageResponse] {
        guard !messages.isEmpty else { return [] }
        let ids = messages.map(\.id)
        let rooms = Set(messages.map(\.roomID))
        let reactions: [UUID: [EmojiReactions]]
        let positions: [UUID: [UUID: UUID]]
        if let connection {
            reactions = try await self.reactions.reactions(of: ids, on: connection)
            positions = try await receipts.positions(in: rooms, on: connection)
        } else {
            async let loadedReactions = self.reactions.reactions(of: ids, on: db)
            async let loadedPositions = receipts.positions(in: rooms, on: db)
            (reactions, positions) = try await (loadedReactions, loadedPositions)
        }
        return try await responses(
            messages.map { RecentMessagesCache.Entry(message: $0, reactions: reactions[$0.id] ?? []) }, positions: positions, viewer: viewer)
    }

    /// `entries` as `viewer` sees them, given each room's read positions.
    func responses(_ entries: [RecentMessagesCache.Entry], positions: [UUID: [UUID: UUID]], viewer: UUID?) async throws -> [MessageResponse] {
        let senders = try await users.users(entries.compactMap(\.message.senderID))
        return entries.map { entry in
            let message = entry.message
            // Members other than the sender whose position is at or past it.
            let readers = (positions[message.roomID] ?? [:]).filter { $0.key != message.senderID && $0.value.apiString >= message.id.apiString }
            return MessageResponse(
                message: message, sender: message.senderID.flatMap { senders[$0] },
                reactions: entry.reactions.map { ReactionSummary($0, viewer: viewer) }, readCount: readers.count)
        }
    }

    func response(_ message: Message, viewer: UUID?) async throws -> MessageResponse {
        try await responses([message], viewer: viewer)[0]
    }

    /// After a commit: the room's cached messages get the new versions of `ids`. A failure drops
    /// the room's cache rather than leave it stale.
    func recache(_ ids: [UUID], in room: UUID) async {
        do {
            let messages = try await self.messages.find(ids: ids, on: db)
            let reactions = try await self.reactions.reactions(of: ids, on: db)
            for message in messages { try await recent.put(.init(message: message, reactions: reactions[message.id] ?? [])) }
        } catch {
            logger.warning("could not update the recent-messages cache", metadata: ["error": "\(error)"])
            await recent.drop(room)
        }
    }

    /// After a commit: a message just sent, as it was stored, read by its sender.
    func recache(new message: Message, by sender: UUID) async {
        do {
            try await recent.sent(.init(message: message, reactions: []), by: sender)
        } catch {
            logger.warning("could not update the recent-messages cache", metadata: ["error": "\(error)"])
            await recent.drop(message.roomID)
        }
    }

    /// After a commit: a member's read position moved forward.
    func recacheRead(room: UUID, user: UUID, to messageID: UUID) async {
        do {
            try await recent.readAdvanced(room: room, user: user, to: messageID)
        } catch {
            logger.warning("could not update the recent-messages cache", metadata: ["error": "\(error)"])
            await recent.drop(room)
        }
    }
}
