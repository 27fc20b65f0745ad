import Foundation
import ServiceKit

/// `POST /internal/events`: messages', rooms' and auth's events that notify someone. Each is read here
/// and handed to `Notifying`; the rest are ignored.
struct NotifyEventHandler: EventHandler {
    let notifying: Notifying

    func handle(_ event: Event) async throws {
        let data = event.data
        switch event.type {
        case "message_created", "message_updated":
            guard let notice = MessageNotice(data, isEdit: event.type == "message_updated") else { return }
            try await notifying.messageSent(notice, event: event)
        case "message_deleted":
            guard let messageID = data["message_id"]?.stringValue.flatMap(UUID.init(uuidString:)) else { return }
            try await notifying.messageDeleted(messageID, event: event)
        case "member_joined":
            // Only an admin adding someone notifies: joining or accepting an invite is one's own doing.
            guard data["via"]?.stringValue == "added", let roomID = data["room_id"]?.stringValue.flatMap(UUID.init(uuidString:)),
                let userID = data["user"]?["id"]?.stringValue.flatMap(UUID.init(uuidString:)),
                let actorID = data["actor_id"]?.stringValue.flatMap(UUID.init(uuidString:))
            else { return }
            try await notifying.memberAdded(userID, to: roomID, by: actorID, event: event)
        case "login_locked":
            guard let notice = SignInPause(data) else { return }
            try await notifying.signInPaused(notice, event: event)
        default:
            return
        }
    }
}
