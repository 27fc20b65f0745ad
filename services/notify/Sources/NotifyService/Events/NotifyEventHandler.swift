import AuthAPI
import CallsAPI
import Foundation
import Logging
import MessagesAPI
import RoomsAPI
import ServiceKit

/// `POST /internal/events`: messages', rooms', auth's and calls' events that notify someone. Each is read here
/// and handed to `Notifying`; the rest are ignored.
struct NotifyEventHandler: EventHandler {
    let notifying: Notifying
    var logger: Logger { notifying.env.logger }

    func handle(_ event: Event) async throws {
        switch event.type {
        case MessageEventType.messageCreated.rawValue:
            guard let created = event.payload(as: MessageCreated.self, logger: logger), let notice = MessageNotice(created) else { return }
            try await notifying.messageSent(notice, event: event)
        case MessageEventType.messageUpdated.rawValue:
            guard let updated = event.payload(as: MessageUpdated.self, logger: logger), let notice = MessageNotice(updated) else { return }
            try await notifying.messageSent(notice, event: event)
        case MessageEventType.messageDeleted.rawValue:
            guard let deleted = event.payload(as: MessageDeleted.self, logger: logger) else { return }
            try await notifying.messageDeleted(deleted.messageId, event: event)
        case RoomEventType.memberJoined.rawValue:
            // Only an admin adding someone notifies: joining or accepting an invite is one's own doing.
            guard let joined = event.payload(as: MemberJoined.self, logger: logger), joined.via == "added", let actorID = joined.actorId
            else { return }
            try await notifying.memberAdded(joined.user.id, to: joined.roomId, by: actorID, event: event)
        case CallEventType.started.rawValue:
            guard let started = event.payload(as: CallChanged.self, logger: logger) else { return }
            try await notifying.callStarted(started, event: event)
        case AuthEventType.loginLocked.rawValue:
            guard let locked = event.payload(as: LoginLocked.self, logger: logger) else { return }
            try await notifying.signInPaused(SignInPause(locked), event: event)
        default:
            return
        }
    }
}
