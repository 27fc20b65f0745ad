import Foundation
import MessagesAPI
import ServiceKit

/// Pinned messages: admins pin and unpin, every member sees them.
struct Pins: Sendable {
    let env: MessagesEnvironment
    static let maxPerRoom = 100

    /// Pins the message `readMessageID` reads, once the caller may pin in the room.
    func pin(in roomID: UUID, by userID: UUID, _ readMessageID: () async throws -> UUID) async throws -> MessageResponse {
        try await env.require(.pinMessage, roomID: roomID, userID: userID)
        let messageID = try await readMessageID()
        guard let message = try await env.messages.find(id: messageID, on: env.db), message.roomID == roomID, !message.deleted else {
            throw AppError.notFound("message not found")
        }
        let pin = Pin(messageID: messageID, pinnedBy: userID, pinnedAt: env.clock.now())
        var response = try await env.response(message, viewer: nil)
        response.pin = pin
        try await env.outbox.transaction { [response] tx in
            try await tx.lock(stream: roomID.apiString)
            // After the room's lock, which a delete takes too: no pin lands on a deleted message.
            guard try await env.messages.lock(id: messageID, on: tx.connection)?.deleted == false else {
                throw AppError.notFound("message not found")
            }
            guard try await env.pins.count(in: roomID, on: tx.connection) < Self.maxPerRoom else {
                throw AppError.conflict("a room can have at most \(Self.maxPerRoom) pinned messages", code: "too_many_pins")
            }
            guard try await env.pins.pin(pin, in: roomID, on: tx.connection) else {
                throw AppError.conflict("this message is already pinned", code: "already_pinned")
            }
            try await tx.emit(MessageEventType.messagePinned.rawValue, stream: roomID.apiString, data: MessagePinnedPayload(
                roomId: roomID.apiString, message: response, pinnedBy: userID.apiString))
        }
        var mine = try await env.response(message, viewer: userID)
        mine.pin = pin
        return mine
    }

    func unpin(_ messageID: UUID, in roomID: UUID, by userID: UUID) async throws {
        try await env.require(.pinMessage, roomID: roomID, userID: userID)
        try await env.outbox.transaction { tx in
            try await tx.lock(stream: roomID.apiString)
            guard try await env.pins.unpin(messageID, in: roomID, on: tx.connection) else { throw AppError.notFound("that message is not pinned") }
            try await tx.emit(MessageEventType.messageUnpinned.rawValue, stream: roomID.apiString, data: MessageUnpinnedPayload(
                roomId: roomID.apiString, messageId: messageID.apiString, unpinnedBy: userID.apiString))
        }
    }

    /// The room's pinned messages, most recently pinned first.
    func pins(in roomID: UUID, for userID: UUID) async throws -> PinsResponse {
        try await env.require(.view, roomID: roomID, userID: userID)
        let pins = try await env.pins.pins(in: roomID, on: env.db)
        let messages = try await env.messages.find(ids: pins.map(\.messageID), on: env.db)
        let pinsByMessage = Dictionary(uniqueKeysWithValues: pins.map { ($0.messageID, $0) })
        var responses = try await env.responses(messages, viewer: userID)
        for index in responses.indices { responses[index].pin = pinsByMessage[responses[index].message.id] }
        return PinsResponse(messages: responses.sorted { ($0.pin?.pinnedAt ?? .distantPast) > ($1.pin?.pinnedAt ?? .distantPast) })
    }
}
