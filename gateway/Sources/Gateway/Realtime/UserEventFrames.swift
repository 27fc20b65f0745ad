import Foundation
import ServiceKit

/// A notify event as a frame for one user's sessions (every one of them, whatever rooms they
/// watch). Pure, so the mapping is tested on its own. These frames carry no `event_id`: they
/// belong to no room, and a client that reconnects reads `GET /notifications` instead.
struct UserEventFrame: Equatable {
    let userID: UUID
    let frame: ServerFrame

    static func of(_ event: Event) -> UserEventFrame? {
        guard case .object(let data) = event.data, let userID = data["user_id"]?.uuid else { return nil }
        let keys: [String]
        let type: String
        switch event.type {
        case "notification_created":
            // API.md: `notification: {notification}`, here with the user's unread count after it.
            (type, keys) = ("notification", ["notification", "unread_count"])
        case "notifications_read", "notifications_removed":
            (type, keys) = (event.type, ["notification_ids", "unread_count"])
        default:
            return nil
        }
        return UserEventFrame(userID: userID, frame: ServerFrame(type: type, data: .object(data.filter { keys.contains($0.key) }), ref: nil))
    }
}
