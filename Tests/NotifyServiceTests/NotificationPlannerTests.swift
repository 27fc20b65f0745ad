import AuthAPI
import Foundation
import MessagesAPI
@testable import NotifyService
import RoomsAPI
import ServiceKit
import Testing

/// The rules of who hears of a message, and as what, without a database.
@Suite struct NotificationPlannerTests {
    let owner = UUID(), admin = UUID(), member = UUID(), quiet = UUID(), eager = UUID(), outsider = UUID()

    func roster(type: String = "public") -> RoomRoster {
        RoomRoster(roomID: UUID(), roomType: type, roomName: "general", members: [
            .init(userID: owner, role: "owner", notificationLevel: "mentions"),
            .init(userID: admin, role: "admin", notificationLevel: "mentions"),
            .init(userID: member, role: "member", notificationLevel: "mentions"),
            .init(userID: quiet, role: "member", notificationLevel: "muted"),
            .init(userID: eager, role: "member", notificationLevel: "all"),
        ])
    }

    func notice(
        from sender: UUID, mentions: [UUID] = [], room: Bool = false, replyTo parentSender: UUID? = nil, edit: Bool = false
    ) -> MessageNotice {
        let user = UserSummary(
            id: sender, username: "sender", displayName: "Sender", avatarUrl: nil, status: "online", statusMessage: nil, createdAt: Date(),
            lastSeenAt: Date())
        let message = MessageSnapshot(
            id: UUID(), roomId: UUID(), type: "text", sender: user, content: "hello", parentId: nil, createdAt: Date(), attachments: [])
        if edit { return MessageNotice(MessageUpdated(roomId: message.roomId, message: message, addedMentionIds: mentions))! }
        return MessageNotice(
            MessageCreated(roomId: message.roomId, message: message, mentionIds: mentions, mentionsRoom: room, parentSenderId: parentSender))!
    }

    @Test func mentionsReachMembersButNotTheSenderOutsidersOrTheMuted() {
        let planned = NotificationPlanner.recipients(of: notice(from: owner, mentions: [member, owner, outsider, quiet]), in: roster())
        #expect(planned == [member: .mention, eager: .message])
    }

    @Test func roomMentionsCountOnlyFromAdminsAndTheOwner() {
        let fromAdmin = NotificationPlanner.recipients(of: notice(from: admin, room: true), in: roster())
        #expect(fromAdmin == [owner: .mention, member: .mention, eager: .mention])
        let fromMember = NotificationPlanner.recipients(of: notice(from: member, room: true), in: roster())
        #expect(fromMember == [eager: .message])
    }

    @Test func repliesNotifyTheParentsAuthorUnlessTheyReplyToThemselves() {
        #expect(NotificationPlanner.recipients(of: notice(from: member, replyTo: admin), in: roster()) == [admin: .reply, eager: .message])
        #expect(NotificationPlanner.recipients(of: notice(from: member, replyTo: member), in: roster()) == [eager: .message])
        // A mention outranks a reply: one notification per message.
        #expect(NotificationPlanner.recipients(of: notice(from: member, mentions: [admin], replyTo: admin), in: roster())[admin] == .mention)
    }

    @Test func directRoomsNotifyTheOtherMemberOfEveryMessageUnlessMuted() {
        let direct = RoomRoster(roomID: UUID(), roomType: "direct", roomName: "", members: [
            .init(userID: owner, role: "member", notificationLevel: "all"), .init(userID: member, role: "member", notificationLevel: "mentions"),
        ])
        #expect(NotificationPlanner.recipients(of: notice(from: owner, mentions: [member]), in: direct) == [member: .directMessage])
        #expect(NotificationPlanner.recipients(of: notice(from: member), in: direct) == [owner: .directMessage])
        let muted = RoomRoster(roomID: direct.roomID, roomType: "direct", roomName: "", members: [
            .init(userID: owner, role: "member", notificationLevel: "all"), .init(userID: member, role: "member", notificationLevel: "muted"),
        ])
        #expect(NotificationPlanner.recipients(of: notice(from: owner), in: muted).isEmpty)
        // An edit was notified when it was sent.
        #expect(NotificationPlanner.recipients(of: notice(from: owner, mentions: [member], edit: true), in: direct).isEmpty)
    }

    @Test func editsNotifyOnlyWhomTheyNewlyMention() {
        #expect(NotificationPlanner.recipients(of: notice(from: owner, mentions: [member], edit: true), in: roster()) == [member: .mention])
        #expect(NotificationPlanner.recipients(of: notice(from: owner, edit: true), in: roster()).isEmpty)
    }

    @Test func previewsAreShortPlainTextAndTitlesSayWhoDidWhatWhere() {
        #expect(NotificationText.preview(content: "  two\n\nlines  ", attachmentNames: []) == "two lines")
        let long = NotificationText.preview(content: String(repeating: "word ", count: 60), attachmentNames: [])
        #expect(long.count <= NotificationText.previewLength + 1 && long.hasSuffix("word…"))
        #expect(NotificationText.preview(content: "", attachmentNames: ["a.png", "b.pdf"]) == "sent a.png and 1 more")
        #expect(NotificationText.title(.mention, actor: "Alice", roomName: "general", roomType: "public") == "Alice mentioned you in #general")
        #expect(NotificationText.title(.directMessage, actor: "Alice", roomName: "", roomType: "direct") == "Alice")
    }
}
