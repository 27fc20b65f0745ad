import Foundation
import MessagesAPI
import ServiceKit
import Testing
import TestSupport

/// Rooms as a consumer of messages' events, made from `MessagesAPI`'s types (what messages is held
/// to by `MessageEventContractTests`): each room's `last_message_at` and members' unread counts.
@Suite struct MessageEventsConsumerTests {
    @Test func messagesEventsKeepTheLastMessageTimeAndUnreadCounts() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let member = try await stack.register()
            let room = try await stack.createRoom(owner)
            try await stack.addMember(member, to: room, by: owner)
            let roomID = try #require(UUID(uuidString: room))
            let sender = try await stack.users.existingUser(try #require(UUID(uuidString: owner.id)))

            func created(_ content: String, parent: UUID? = nil, at date: Date) throws -> Event {
                let message = MessageSnapshot(
                    id: UUID(), roomId: roomID, type: "text", sender: sender, content: content, parentId: parent, createdAt: date, attachments: [])
                let payload = MessageCreated(roomId: roomID, message: message, mentionIds: [], mentionsRoom: false, parentSenderId: nil)
                return try .made(MessageEventType.messageCreated.rawValue, stream: roomID, payload: payload, at: date)
            }
            func listed(as user: RoomsStack.User) async throws -> [String: Any] {
                let rooms = try #require(try await stack.call(.get, "/rooms", as: user)["rooms"] as? [[String: Any]])
                return try #require(rooms.first { $0["id"] as? String == room })
            }

            let first = try created("hello", at: stack.clock.now)
            let sentAt = stack.clock.now.addingTimeInterval(5)
            let second = try created("again", at: sentAt)
            // A reply is followed in its thread, not in the room's unread count.
            let reply = try created("in the thread", parent: UUID(), at: sentAt)
            try await stack.rooms.deliver([first, second, reply])
            // Delivered again (a relay that never saw the answer): counted once.
            try await stack.rooms.deliver([second])

            #expect(try await listed(as: member)["unread_count"] as? Int == 2)
            #expect(try await listed(as: member)["last_message_at"] as? String == Timestamp.format(sentAt))
            #expect(try await listed(as: owner)["unread_count"] as? Int == 0, "one's own messages are read")

            let read = MessageRead(
                roomId: roomID, userId: try #require(UUID(uuidString: member.id)), messageId: UUID(), readAt: sentAt, unreadCount: 1)
            try await stack.rooms.deliver([try .made(MessageEventType.messageRead.rawValue, stream: roomID, payload: read)])
            #expect(try await listed(as: member)["unread_count"] as? Int == 1)
        }
    }
}
