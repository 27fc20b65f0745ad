import AuthAPI
import Foundation
import MessagesAPI
import NotifyAPI
import RoomsAPI
import ServiceKit
import Testing
import TestSupport

@testable import Gateway

/// The gateway as a consumer of rooms', messages' and notify's events: each written as its
/// producer's `<Name>API` type says (whose producers' own tests decode what they emit as the same
/// types), turned into the frames API.md lists and the room changes of sessions. A payload that
/// does not fit its type makes nothing.
@Suite struct EventFramesTests {
    static func user(_ id: UUID, _ name: String = "u") -> UserSummary {
        UserSummary(
            id: id, username: name, displayName: name, avatarUrl: nil, status: "online", statusMessage: nil, createdAt: Date(),
            lastSeenAt: Date())
    }

    static func event(_ type: some RawRepresentable<String>, _ stream: UUID, _ payload: some Encodable) throws -> Event {
        try .made(type.rawValue, stream: stream, payload: payload)
    }

    /// A frame's data as JSON values.
    static func data(_ frame: ServerFrame?) -> [String: JSONValue] {
        guard case .object(let fields)? = frame?.data else { return [:] }
        return fields
    }

    @Test func roomEventsChangeWhoWatchesARoomAndBecomeFrames() throws {
        let (owner, user, room) = (UUID(), UUID(), UUID())
        let created = try #require(RoomEventEffect.of(try Self.event(
            RoomEventType.roomCreated, room, RoomCreated(room: RoomReference(id: room), memberIds: [owner, user]))))
        #expect(created.joining == [owner, user] && created.roomID == room && created.frame == nil)

        let joined = try #require(RoomEventEffect.of(try Self.event(RoomEventType.memberJoined, room, MemberJoined(
            roomId: room, roomType: "public", user: Self.user(user, "bob"), role: "member", via: "join", actorId: nil)), sequence: 7))
        #expect(joined.joining == [user] && joined.roomID == room && joined.frame?.type == "user_joined")
        #expect(joined.frame?.eventID == "0000000000000007")
        #expect(Self.data(joined.frame)["user"]?["username"] == .string("bob") && Self.data(joined.frame)["room_id"] == .string(room.apiString))

        for event in [
            try Self.event(RoomEventType.memberLeft, room, MemberLeft(roomId: room, userId: user)),
            try Self.event(RoomEventType.memberRemoved, room, MemberRemoved(roomId: room, userId: user, removedBy: owner)),
            try Self.event(RoomEventType.memberBanned, room, MemberBanned(roomId: room, userId: user, bannedBy: owner, reason: nil, wasMember: true)),
        ] {
            let left = try #require(RoomEventEffect.of(event), "\(event.type)")
            #expect(left.leaving == [user] && left.frame?.type == "user_left" && Self.data(left.frame)["user_id"] == .string(user.apiString))
        }
        let bannedOutsider = try Self.event(RoomEventType.memberBanned, room, MemberBanned(
            roomId: room, userId: user, bannedBy: owner, reason: "spam", wasMember: false))
        #expect(RoomEventEffect.of(bannedOutsider) == nil, "nobody's view changes")

        let deleted = RoomEventEffect.of(try Self.event(RoomEventType.roomDeleted, room, RoomDeleted(roomId: room, memberIds: [owner], deletedBy: owner)))
        #expect(deleted?.roomGone == true && deleted?.frame?.type == "room_deleted" && deleted?.roomID == room)

        // The room object is rooms' REST answer, passed on without the updater's own view of it.
        let updatedEvent = Event(id: .v7(), type: RoomEventType.roomUpdated.rawValue, stream: room.apiString, occurredAt: Date(), data: .object([
            "room": .object(["id": .string(room.apiString), "name": .string("new name"), "my_role": .string("owner"), "unread_count": .number(3)]),
            "updated_by": .string(owner.apiString),
        ]))
        #expect(try JSONValueDecoder.decode(RoomUpdated.self, from: updatedEvent.data) == RoomUpdated(room: RoomReference(id: room), updatedBy: owner))
        let updated = RoomEventEffect.of(updatedEvent)
        #expect(updated?.frame?.type == "room_updated")
        let shown = Self.data(updated?.frame)["room"]
        #expect(shown?["name"] == .string("new name") && shown?["my_role"] == nil && shown?["unread_count"] == nil, "the updater's own view stays theirs")

        let promoted = RoomEventEffect.of(try Self.event(RoomEventType.memberRoleChanged, room, MemberRoleChanged(
            roomId: room, userId: user, role: "admin", previousRole: "member", changedBy: owner)))
        #expect(promoted?.frame?.type == "member_role_changed" && promoted?.roomID == room)
        #expect(Set(Self.data(promoted?.frame).keys) == ["room_id", "user_id", "role"])

        let muted = Event(id: .v7(), type: RoomEventType.memberMuted.rawValue, stream: room.apiString, occurredAt: Date(), data: .object([
            "room_id": .string(room.apiString), "user_id": .string(user.apiString), "muted": .bool(true),
        ]))
        #expect(RoomEventEffect.of(muted) == nil, "a mute is the muted member's business, told by rooms' REST answers")
    }

    @Test func messageEventsBecomeFramesOfTheirOwnTypeWithoutWhatIsForOtherConsumers() throws {
        let (sender, room, messageID) = (UUID(), UUID(), UUID())
        let snapshot = MessageSnapshot(
            id: messageID, roomId: room, type: "text", sender: Self.user(sender), content: "hi", parentId: nil, createdAt: Date(), attachments: [])
        let cases: [(Event, Set<String>)] = [
            (try Self.event(MessageEventType.messageCreated, room, MessageCreated(
                roomId: room, message: snapshot, mentionIds: [UUID()], mentionsRoom: false, parentSenderId: nil)), ["room_id", "message"]),
            (try Self.event(MessageEventType.messageUpdated, room, MessageUpdated(roomId: room, message: snapshot, addedMentionIds: [])), ["room_id", "message"]),
            (try Self.event(MessageEventType.messageDeleted, room, MessageDeleted(
                roomId: room, messageId: messageID, deletedBy: sender, attachmentIds: [UUID()])), ["room_id", "message_id"]),
            (try Self.event(MessageEventType.reactionAdded, room, ReactionChanged(
                roomId: room, messageId: messageID, user: Self.user(sender), emoji: "👍")), ["room_id", "message_id", "user", "emoji"]),
            (try Self.event(MessageEventType.reactionRemoved, room, ReactionChanged(
                roomId: room, messageId: messageID, user: Self.user(sender), emoji: "👍")), ["room_id", "message_id", "user", "emoji"]),
            (try Self.event(MessageEventType.messagePinned, room, MessagePinned(roomId: room, message: snapshot, pinnedBy: sender)),
             ["room_id", "message", "pinned_by"]),
            (try Self.event(MessageEventType.messageUnpinned, room, MessageUnpinned(roomId: room, messageId: messageID, unpinnedBy: sender)),
             ["room_id", "message_id"]),
            (try Self.event(MessageEventType.messageRead, room, MessageRead(
                roomId: room, userId: sender, messageId: messageID, readAt: Date(), unreadCount: 4)), ["room_id", "user_id", "message_id", "read_at"]),
        ]
        for (event, keys) in cases {
            let effect = try #require(RoomEventEffect.of(event), "\(event.type)")
            #expect(effect.roomID == room && effect.frame?.type == event.type && effect.joining.isEmpty && effect.leaving.isEmpty)
            #expect(Set(Self.data(effect.frame).keys) == keys, "\(event.type)")
        }
    }

    @Test func aPayloadThatDoesNotFitItsTypeMakesNoFrame() throws {
        let room = UUID()
        let notAMessage = Event(id: .v7(), type: MessageEventType.messageCreated.rawValue, stream: room.apiString, occurredAt: Date(), data: .object([
            "room_id": .string(room.apiString), "message": .object(["id": .string("not a uuid")]),
        ]))
        #expect(RoomEventEffect.of(notAMessage) == nil)
        let renamed = Event(id: .v7(), type: RoomEventType.memberLeft.rawValue, stream: room.apiString, occurredAt: Date(), data: .object([
            "room": .string(room.apiString), "user_id": .string(UUID().apiString),
        ]))
        #expect(RoomEventEffect.of(renamed) == nil, "a producer renaming a key breaks this test, not the clients quietly")
        #expect(RoomEventEffect.of(Event(id: .v7(), type: "something_new", stream: "s", occurredAt: Date(), data: .object([:]))) == nil)
    }

    @Test func notifyEventsBecomeFramesForEverySessionOfTheRecipient() throws {
        let (user, notification) = (UUID(), UUID())
        var created = try Self.event(NotifyEventType.notificationCreated, user, NotificationCreated(
            userId: user, notification: NotificationReference(id: notification), unreadCount: 3))
        // Notify's notification object is API.md's, passed on whole.
        guard case .object(var fields) = created.data else { throw TestFailure("an object") }
        fields["notification"] = .object(["id": .string(notification.apiString), "title": .string("alice mentioned you")])
        created = Event(id: created.id, type: created.type, stream: created.stream, occurredAt: created.occurredAt, data: .object(fields))
        let frame = try #require(UserEventFrame.of(created))
        #expect(frame.userID == user && frame.frame.type == "notification" && frame.frame.eventID == nil)
        #expect(Self.data(frame.frame)["notification"]?["title"] == .string("alice mentioned you") && Self.data(frame.frame)["unread_count"] == .number(3))
        #expect(Self.data(frame.frame)["user_id"] == nil)

        for type in [NotifyEventType.notificationsRead, .notificationsRemoved] {
            let changed = try #require(UserEventFrame.of(try Self.event(type, user, NotificationsChanged(
                userId: user, notificationIds: [notification], unreadCount: 0))))
            #expect(changed.userID == user && changed.frame.type == type.rawValue)
            #expect(Set(Self.data(changed.frame).keys) == ["notification_ids", "unread_count"])
        }
        let missingCount = Event(id: .v7(), type: NotifyEventType.notificationsRead.rawValue, stream: user.apiString, occurredAt: Date(), data: .object([
            "user_id": .string(user.apiString), "notification_ids": .array([]),
        ]))
        #expect(UserEventFrame.of(missingCount) == nil)
    }
}
