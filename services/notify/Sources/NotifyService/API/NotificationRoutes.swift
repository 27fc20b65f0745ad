import Foundation
import Hummingbird
import ServiceKit

/// `/notifications`: the caller's own notifications.
struct NotificationRoutes {
    let feed: NotificationFeed

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.get("/notifications") { request, context -> NotificationList in
            let query = request.uri.queryParameters
            return try await feed.list(
                of: try context.requireIdentity().userID, unreadOnly: try Self.flag("unread", in: query), page: try PageRequest(query: query))
        }
        group.patch("/notifications/read-all") { _, context -> ReadAllResponse in
            try await feed.markAllRead(by: try context.requireIdentity().userID)
        }
        group.patch("/notifications/:id/read") { _, context -> Notification in
            try await feed.markRead(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
        }
    }

    /// `true`/`false` (`1`/`0`); absent is false, anything else 400.
    static func flag(_ name: String, in query: Parameters) throws -> Bool {
        switch query[Substring(name)]?.lowercased() {
        case nil, "false", "0": return false
        case "true", "1": return true
        default: throw AppError.validation(field: name, "\(name) must be true or false")
        }
    }
}
