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
