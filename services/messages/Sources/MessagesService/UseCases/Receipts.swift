import Foundation
import MessagesAPI
import ServiceKit

/// Read receipts: each member's read position in each room, and who read what.
struct Receipts: Sendable {
    let env: MessagesEnvironment

    /// Marks `messageID` and everything before it in its room read. A position never moves back:
    /// reading an older message leaves it where it is.
    func markRead(_ messageID: UUID, by userID: UUID) async throws -> ReadPositionResponse {
        let (message, _) = try await env.requireMessage(messageID, .view, userID: userID)
        let roomID = message.roomID
        let (position, advanced): (ReadPositionResponse, Bool) = try await env.outbox.transaction { tx in
            // Taken before counting, so no message_created can commit between the count and
            // this event: consumers applying them in order end with the right unread count.
            try await tx.lock(stream: roomID.apiString)
            let now = env.clock.now()
            let advanced = try await env.receipts.advance(room: roomID, user: userID, to: messageID, at: now, on: tx.connection)
            let position = advanced ? messageID : (try await env.receipts.position(room: roomID, user: userID, on: tx.connection) ?? messageID)
            let unread = try await env.receipts.unreadCount(room: roomID, user: userID, after: position, on: tx.connection)
            if advanced {
                try await tx.emit(MessageEventType.messageRead.rawValue, stream: roomID.apiString, data: MessageReadPayload(
                    roomId: roomID.apiString, userId: userID.apiString, messageId: messageID.apiString, readAt: now, unreadCount: unread))
            }
            return (ReadPositionResponse(roomId: roomID.apiString, lastReadId: position.apiString, unreadCount: unread), advanced)
        }
        if advanced { await env.recacheRead(room: roomID, user: userID, to: messageID) }
        return position
    }

    /// Who has read the message and when; for its sender and the room's admins.
    func readers(of messageID: UUID, for userID: UUID) async throws -> ReceiptsResponse {
        let (message, access) = try await env.requireMessage(messageID, .view, userID: userID)
        guard message.senderID == userID || access.role == "owner" || access.role == "admin" else {
            throw AppError.forbidden("only its sender and the room's admins can see who read a message")
        }
        let readers = try await env.receipts.readers(of: message, on: env.db)
        let users = try await env.users.users(readers.map(\.0))
        return ReceiptsResponse(readBy: readers.compactMap { reader in users[reader.0].map { ReceiptResponse(user: $0, readAt: reader.1) } })
    }
}
