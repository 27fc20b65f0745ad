import Foundation
import Logging
import ServiceKit

/// What notify's use cases share.
struct NotifyEnvironment: Sendable {
    let store: NotificationStore
    let outbox: Outbox
    let ids: EventIDs
    /// Dates notifications (creation, expiry, reading); tokens are checked against the system time.
    let clock: WallClock
    /// How long a notification lives (30 days).
    let lifetime: TimeInterval
    let logger: Logger
}

/// The events notify emits, each on its recipient's stream (the user id): a recipient's events
/// arrive in the order they happened, so the `unread_count` each carries (counted under the
/// stream's lock) is the count after it, and the last one a session got is the right one.
enum NotifyEvent: String {
    /// `{user_id, notification, unread_count}`
    case notificationCreated = "notification_created"
    /// `{user_id, notification_ids, unread_count}`: read on some device.
    case notificationsRead = "notifications_read"
    /// `{user_id, notification_ids, unread_count}`: retracted, their message deleted.
    case notificationsRemoved = "notifications_removed"
}

/// `notification_created`'s payload.
func notificationCreatedPayload(_ notification: Notification, unreadCount: Int) -> JSONValue {
    .object([
        "user_id": .string(notification.recipientID.apiString), "notification": notification.json,
        "unread_count": .number(Double(unreadCount)),
    ])
}

struct NotificationsChangedPayload: Encodable, Sendable {
    let userId: String
    let notificationIds: [String]
    let unreadCount: Int
}
