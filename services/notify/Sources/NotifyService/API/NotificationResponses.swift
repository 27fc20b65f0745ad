import Foundation
import Hummingbird
import ServiceKit

/// `GET /notifications`: API.md's list shape plus `unread_count`, all of the user's unread
/// (not only this page's).
struct NotificationList: ResponseEncodable, Sendable {
    let notifications: [Notification]
    let unreadCount: Int
    let nextCursor: String?

    enum CodingKeys: String, CodingKey {
        case notifications, unreadCount, nextCursor
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(notifications, forKey: .notifications)
        try container.encode(unreadCount, forKey: .unreadCount)
        try container.encode(nextCursor, forKey: .nextCursor)
    }
}

/// `PATCH /notifications/read-all`: how many it marked, and the count left (0).
struct ReadAllResponse: ResponseEncodable, Sendable {
    let markedRead: Int
    let unreadCount: Int
}

extension Notification: ResponseEncodable {}
