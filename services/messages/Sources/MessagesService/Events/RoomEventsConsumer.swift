import Foundation
import MessagesAPI
import ServiceKit

/// What messages does with rooms' events: writes the system messages ("Alice joined") of group
/// rooms, and stops counting leavers as readers. (Cached standings need no event: rooms' access
/// epochs retire them before it answers a change.)
struct RoomEventsConsumer: EventHandler {
    let env: MessagesEnvironment

    /// The parts of rooms' payloads read here.
    private struct MemberChange: Decodable {
        struct User: Decodable {
            let id: UUID
            let displayName: String
        }

        let roomId: UUID
        let userId: UUID?
        let user: User?
        let roomType: String?
        let wasMember: Bool?

        var memberID: UUID? { userId ?? user?.id }
    }

    func handle(_ event: Event) async throws {
        switch event.type {
        case "member_joined", "member_left", "member_removed", "member_banned":
            guard let change = event.payload(as: MemberChange.self, logger: env.logger), let memberID = change.memberID else { return }
            try await writeSystemMessage(for: event, change, memberID: memberID)
        default:
            return
        }
    }

    private func writeSystemMessage(for event: Event, _ change: MemberChange, memberID: UUID) async throws {
        let verb: String
        switch event.type {
        case "member_joined" where change.roomType != "direct": verb = "joined"
        case "member_left": verb = "left"
        case "member_removed": verb = "was removed"
        case "member_banned" where change.wasMember == true: verb = "was removed"
        default: return
        }
        var name = change.user?.displayName
        if name == nil { name = try await env.users.user(memberID)?.displayName }
        let content = "\(name ?? "A member") \(verb)"
        let written: Message? = try await env.outbox.transaction { tx in
            try await tx.lock(stream: change.roomId.apiString)
            guard try await PostgresInbox.claim(event, on: tx.connection, logger: env.logger) else { return nil }
            let now = env.clock.now()
            if event.type != "member_joined" { try await env.receipts.forget(room: change.roomId, user: memberID, on: tx.connection) }
            let id = try await env.newMessageID(in: change.roomId, at: now, on: tx.connection)
            let message = Message(
                id: id, roomID: change.roomId, senderID: nil, type: .system, content: content,
                contentHTML: HTML.escape(content), parentID: nil, clientID: nil, mentionIDs: [], createdAt: now,
                editedAt: nil, deleted: false, replyCount: 0, lastReplyAt: nil)
            _ = try await env.messages.insert(message, on: tx.connection)
            try await tx.emit(MessageEventType.messageCreated.rawValue, stream: change.roomId.apiString, data: MessageCreatedPayload(
                roomId: change.roomId.apiString, message: MessageResponse(message: message, sender: nil, reactions: [], readCount: 0),
                mentionIds: [], mentionsRoom: false, parentSenderId: nil))
            return message
        }
        if event.type != "member_joined" { try? await env.recent.readerGone(room: change.roomId, user: memberID) }
        if let written { await env.recache([written.id], in: written.roomID) }
    }
}
