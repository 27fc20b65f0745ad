import Foundation
import NotifyAPI
import ServiceKit

/// A notify event as a frame for one user's sessions (every one of them, whatever rooms they
/// watch). Pure, so the mapping is tested on its own. These frames carry no `event_id`: they
/// belong to no room, and a client that reconnects reads `GET /notifications` instead.
struct UserEventFrame: Equatable {
    let userID: UUID
    let frame: ServerFrame

    /// Read through notify's types (`NotifyAPI`); the notification object is API.md's and passes
    /// on as it came.
    static func of(_ event: Event) -> UserEventFrame? {
        guard let type = NotifyEventType(rawValue: event.type), case .object(let data) = event.data else { return nil }
        switch type {
        case .notificationCreated:
            guard let created = try? JSONValueDecoder.decode(NotificationCreated.self, from: event.data) else { return nil }
            // API.md: `notification: {notification}`, here with the user's unread count after it.
            return UserEventFrame(userID: created.userId, frame: frame("notification", data, keys: ["notification", "unread_count"]))
        case .notificationsRead, .notificationsRemoved:
            guard let changed = try? JSONValueDecoder.decode(NotificationsChanged.self, from: event.data) else { return nil }
            return UserEventFrame(userID: changed.userId, frame: frame(event.type, data, keys: ["notification_ids", "unread_count"]))
        }
    }

    private static func frame(_ type: String, _ data: [String: JSONValue], keys: [String]) -> ServerFrame {
        ServerFrame(type: type, data: .object(data.filter { keys.contains($0.key) }), ref: nil)
    }
}
