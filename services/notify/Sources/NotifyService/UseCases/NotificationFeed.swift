import Foundation
import NotifyAPI
import ServiceKit

/// A user's own notifications: the list with its unread count, and marking them read. Every
/// change tells all the user's sessions (`notifications_read`) the new count.
struct NotificationFeed: Sendable {
    let env: NotifyEnvironment

    func list(of userID: UUID, unreadOnly: Bool, page: PageRequest) async throws -> NotificationList {
        let now = env.clock.now()
        async let fetched = env.store.page(of: userID, unreadOnly: unreadOnly, after: try TimeCursor.from(page), limit: page.limit, now: now)
        async let counts = env.store.unreadCounts(of: [userID], now: now, on: env.store.db)
        let paged = Paged(fetched: try await fetched, limit: page.limit)
        return NotificationList(notifications: paged.items, unreadCount: try await counts[userID] ?? 0, nextCursor: paged.nextCursor)
    }

    func markRead(_ id: UUID, by userID: UUID) async throws -> Notification {
        try await env.outbox.transaction { tx in
            try await tx.lock(stream: userID.apiString)
            let now = env.clock.now()
            guard let (notification, changed) = try await env.store.markRead(id, of: userID, at: now, on: tx.connection) else {
                throw AppError.notFound("notification not found")
            }
            if changed { try await announceRead([id], of: userID, now: now, tx: tx) }
            return notification
        }
    }

    func markAllRead(by userID: UUID) async throws -> ReadAllResponse {
        try await env.outbox.transaction { tx in
            try await tx.lock(stream: userID.apiString)
            let now = env.clock.now()
            let ids = try await env.store.markAllRead(of: userID, at: now, on: tx.connection)
            if !ids.isEmpty { try await announceRead(ids, of: userID, now: now, tx: tx) }
            return ReadAllResponse(markedRead: ids.count, unreadCount: 0)
        }
    }

    private func announceRead(_ ids: [UUID], of userID: UUID, now: Date, tx: EventTransaction) async throws {
        let count = try await env.store.unreadCounts(of: [userID], now: now, on: tx.connection)[userID] ?? 0
        try await tx.emit(
            NotifyEventType.notificationsRead.rawValue, stream: userID.apiString,
            data: NotificationsChangedPayload(userId: userID.apiString, notificationIds: ids.map(\.apiString), unreadCount: count))
    }
}
