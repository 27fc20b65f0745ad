import Foundation
import RoomsAPI

/// Who hears of a message, and as what: the rules of the product, pure, so they are tested on
/// their own. Each member gets at most one notification per message, the most specific that
/// applies: in a direct room `direct_message`; elsewhere `mention`, then `reply`, then `message`.
/// Levels: `muted` hears nothing from the room; `mentions` (group rooms' default) hears mentions,
/// replies and direct messages; `all` (direct rooms' default) also every other message. Nobody
/// hears of their own message, non-members of nothing. Blocks are applied by the caller.
enum NotificationPlanner {
    static func recipients(of notice: MessageNotice, in roster: RoomRoster) -> [UUID: NotificationType] {
        let senderRole = roster.members.first { $0.userID == notice.senderID }?.role
        let roomWide = notice.mentionsRoom && (senderRole == "owner" || senderRole == "admin")
        var recipients: [UUID: NotificationType] = [:]
        for member in roster.members where member.userID != notice.senderID && member.notificationLevel != "muted" {
            let type: NotificationType?
            if roster.roomType == "direct" {
                // An edit of a direct message was notified when it was sent.
                type = notice.isEdit ? nil : .directMessage
            } else if roomWide || notice.mentionIDs.contains(member.userID) {
                type = .mention
            } else if notice.parentSenderID == member.userID {
                type = .reply
            } else if member.notificationLevel == "all" && !notice.isEdit {
                type = .message
            } else {
                type = nil
            }
            if let type { recipients[member.userID] = type }
        }
        return recipients
    }
}
