import Foundation

/// The events notify emits, each on its recipient's stream (the user id), defined here once: the
/// gateway reads them through these types to tell every session of the recipient, and notify's
/// own test decodes what it emits as them. Keys are API.md's (snake_case on the wire).
///
/// A recipient's events arrive in the order they happened, so the `unread_count` each carries
/// (counted under the stream's lock) is the count after it, and the last one a session got is
/// the right one.
public enum NotifyEventType: String, Sendable, CaseIterable {
    case notificationCreated = "notification_created"
    /// Read on some device.
    case notificationsRead = "notifications_read"
    /// Retracted: their message was deleted.
    case notificationsRemoved = "notifications_removed"
}

/// The id of API.md's notification object, as `notification_created` carries it: the gateway
/// passes the object on to the recipient's sessions whole.
public struct NotificationReference: Codable, Sendable, Equatable {
    public let id: UUID

    public init(id: UUID) {
        self.id = id
    }
}

/// `notification_created`: a new notification for `userId`, who then has `unreadCount` unread.
public struct NotificationCreated: Codable, Sendable, Equatable {
    public let userId: UUID
    public let notification: NotificationReference
    public let unreadCount: Int

    public init(userId: UUID, notification: NotificationReference, unreadCount: Int) {
        self.userId = userId
        self.notification = notification
        self.unreadCount = unreadCount
    }
}

/// `notifications_read` and `notifications_removed`: these of `userId`'s notifications were read
/// or retracted, leaving `unreadCount` unread.
public struct NotificationsChanged: Codable, Sendable, Equatable {
    public let userId: UUID
    public let notificationIds: [UUID]
    public let unreadCount: Int

    public init(userId: UUID, notificationIds: [UUID], unreadCount: Int) {
        self.userId = userId
        self.notificationIds = notificationIds
        self.unreadCount = unreadCount
    }
}
