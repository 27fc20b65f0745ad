import Foundation
import MessagesAPI
import ServiceKit

/// Emoji reactions: one per user, emoji and message. The emoji (`readEmoji`) is read once the
/// caller's access to the message was checked. Adding and removing count against the user's
/// reaction budget (each reaches every member), given back when the change then fails.
struct Reactions: Sendable {
    let env: MessagesEnvironment
    let limiter: RateLimiter

    /// 409 `reaction_exists` when the user already reacted with this emoji.
    func add(to messageID: UUID, by userID: UUID, _ readEmoji: () async throws -> String) async throws -> MessageResponse {
        let (message, _) = try await env.requireMessage(messageID, .react, userID: userID)
        guard !message.deleted else { throw AppError.notFound("message not found") }
        let emoji = try await readEmoji()
        try await limiter.counting(userID.apiString, now: env.clock.now()) {
            let user = try await env.users.existingUser(userID)
            try await env.outbox.transaction { tx in
                try await tx.lock(stream: message.roomID.apiString)
                // After the room's lock, which a delete takes too: no reaction lands on a deleted message.
                guard try await env.messages.lock(id: messageID, on: tx.connection)?.deleted == false else {
                    throw AppError.notFound("message not found")
                }
                guard try await env.reactions.add(message: messageID, user: userID, emoji: emoji, at: env.clock.now(), on: tx.connection) else {
                    throw AppError.conflict("you already reacted with this emoji", code: "reaction_exists")
                }
                try await env.messages.touch(messageID, on: tx.connection)
                try await tx.emit(MessageEventType.reactionAdded.rawValue, stream: message.roomID.apiString, data: ReactionPayload(
                    roomId: message.roomID.apiString, messageId: messageID.apiString, user: user, emoji: emoji))
            }
        }
        await env.recache([messageID], in: message.roomID)
        return try await env.response(message, viewer: userID)
    }

    /// 404 when the user has no such reaction. Muted members may still take theirs back.
    func remove(from messageID: UUID, by userID: UUID, _ readEmoji: () throws -> String) async throws {
        let (message, _) = try await env.requireMessage(messageID, .view, userID: userID)
        let emoji = try readEmoji()
        try await limiter.counting(userID.apiString, now: env.clock.now()) {
            let user = try await env.users.existingUser(userID)
            try await env.outbox.transaction { tx in
                try await tx.lock(stream: message.roomID.apiString)
                guard try await env.reactions.remove(message: messageID, user: userID, emoji: emoji, on: tx.connection) else {
                    throw AppError.notFound("you have not reacted with this emoji")
                }
                try await env.messages.touch(messageID, on: tx.connection)
                try await tx.emit(MessageEventType.reactionRemoved.rawValue, stream: message.roomID.apiString, data: ReactionPayload(
                    roomId: message.roomID.apiString, messageId: messageID.apiString, user: user, emoji: emoji))
            }
        }
        await env.recache([messageID], in: message.roomID)
    }
}
