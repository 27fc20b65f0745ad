import Foundation
import Logging
import MessagesAPI
import ServiceKit
import StackSupport
import Testing
import TestSupport

/// Messages as the producer of the events `MessagesAPI` defines: every event it emits is one of
/// `MessageEventType`, and those its consumers read decode as `MessageCreated`, `MessageUpdated`,
/// `MessageRead`, `ReactionChanged`, `MessagePinned`, `MessageUnpinned` and `MessageDeleted` with
/// the values of what happened. Rooms, media, search, notify and the gateway are tested against
/// those types alone.
@Suite struct MessageEventContractTests {
    static let logger = Logger(label: "contract")

    @Test func everyEventMessagesEmitsDecodesAsMessagesAPISays() async throws {
        let recorder = EventRecorder()
        try await recorder.serve { subscriber in
            try await withStack(messagesSettings: ["EVENT_SUBSCRIBERS": "contract=http://127.0.0.1:\(subscriber)"]) { stack in
                let owner = try await stack.gateway.register()
                let member = try await stack.gateway.register()
                let third = try await stack.gateway.register()
                let room = try #require(try await stack.gateway.call(.post, "/rooms", json: ["name": "Events", "type": "private"], token: owner.token)["id"] as? String)
                for user in [member, third] {
                    #expect(try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": user.id], token: owner.token).status == .created)
                }
                let file = try await stack.gateway.uploaded(Fixtures.pdf, filename: "notes.pdf", contentType: nil, token: owner.token)
                let fileID = try #require(file["id"] as? String)
                let first = try #require(try await stack.gateway.call(
                    .post, "/rooms/\(room)/messages", json: ["content": "hi @\(member.username)", "attachment_ids": [fileID]], token: owner.token)["id"] as? String)
                let reply = try #require(try await stack.gateway.call(
                    .post, "/rooms/\(room)/messages", json: ["content": "hello", "parent_id": first], token: member.token)["id"] as? String)
                #expect(try await stack.gateway.call(.put, "/messages/\(first)", json: ["content": "hi @\(member.username) @\(third.username)"], token: owner.token).status == .ok)
                #expect(try await stack.gateway.call(.post, "/messages/\(reply)/read", token: third.token).status.code < 300)
                #expect(try await stack.gateway.call(.post, "/messages/\(reply)/reactions", json: ["emoji": "👍"], token: third.token).status.code < 300)
                #expect(try await stack.gateway.call(.delete, "/messages/\(reply)/reactions/%F0%9F%91%8D", token: third.token).status.code < 300)
                #expect(try await stack.gateway.call(.post, "/rooms/\(room)/pins", json: ["message_id": reply], token: owner.token).status.code < 300)
                #expect(try await stack.gateway.call(.delete, "/rooms/\(room)/pins/\(reply)", token: owner.token).status.code < 300)
                #expect(try await stack.gateway.call(.delete, "/messages/\(first)", token: owner.token).status == .noContent)

                let events = try await recorder.waitFor(1) { $0.type == MessageEventType.messageDeleted.rawValue }
                let all = recorder.events
                #expect(all.allSatisfy { MessageEventType(rawValue: $0.type) != nil }, "\(Set(all.map(\.type)))")
                func payloads<T: Decodable>(_ type: MessageEventType, as _: T.Type) throws -> [T] {
                    try all.filter { $0.type == type.rawValue }.map { try #require($0.payload(as: T.self, logger: Self.logger)) }
                }
                let ids = (owner: UUID(uuidString: owner.id)!, member: UUID(uuidString: member.id)!, third: UUID(uuidString: third.id)!)

                let created = try payloads(.messageCreated, as: MessageCreated.self).filter { $0.message.type != "system" }
                #expect(created.map(\.message.id.apiString) == [first, reply])
                #expect(created[0].roomId.apiString == room && created[0].message.roomId.apiString == room)
                #expect(created[0].message.sender?.id == ids.owner && created[0].message.sender?.username == owner.username)
                #expect(created[0].mentionIds == [ids.member] && !created[0].mentionsRoom)
                #expect(created[0].message.attachments.map(\.filename) == ["notes.pdf"])
                #expect(created[1].message.parentId?.apiString == first && created[1].parentSenderId == ids.owner)

                let updated = try #require(try payloads(.messageUpdated, as: MessageUpdated.self).first)
                #expect(updated.message.id.apiString == first && updated.addedMentionIds == [ids.third])

                let read = try #require(try payloads(.messageRead, as: MessageRead.self).first)
                #expect(read.userId == ids.third && read.messageId.apiString == reply && read.unreadCount == 0)

                let reactions = try payloads(.reactionAdded, as: ReactionChanged.self) + payloads(.reactionRemoved, as: ReactionChanged.self)
                #expect(reactions.map(\.emoji) == ["👍", "👍"] && reactions.allSatisfy { $0.user.id == ids.third && $0.messageId.apiString == reply })
                let pinned = try #require(try payloads(.messagePinned, as: MessagePinned.self).first)
                #expect(pinned.message.id.apiString == reply && pinned.pinnedBy == ids.owner && pinned.roomId.apiString == room)
                let unpinned = try #require(try payloads(.messageUnpinned, as: MessageUnpinned.self).first)
                #expect(unpinned.messageId.apiString == reply && unpinned.unpinnedBy == ids.owner)

                let deleted = try #require(try payloads(.messageDeleted, as: MessageDeleted.self).first)
                #expect(events.count == 1 && deleted.messageId.apiString == first && deleted.deletedBy == ids.owner)
                #expect(deleted.attachmentIds.map(\.apiString) == [fileID])
            }
        }
    }
}
