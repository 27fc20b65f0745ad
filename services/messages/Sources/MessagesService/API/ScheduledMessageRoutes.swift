import Foundation
import Hummingbird
import ServiceKit

/// `/rooms/:id/scheduled-messages` and `/scheduled-messages/:id`: the caller's own messages
/// for later.
struct ScheduledMessageRoutes {
    let scheduled: ScheduledMessages

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.post("/rooms/:id/scheduled-messages") { request, context -> Response in
            let message = try await scheduled.schedule(in: try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                try await request.decode(as: ScheduleMessageRequest.self, context: context).draft
            }
            return try APIResponseEncoder.response(message, status: .created)
        }
        group.get("/rooms/:id/scheduled-messages") { _, context -> ScheduledMessageList in
            ScheduledMessageList(
                scheduledMessages: try await scheduled.list(in: try context.parameters.requireID("id"), for: try context.requireIdentity().userID))
        }
        group.patch("/scheduled-messages/:id") { request, context -> ScheduledMessage in
            try await scheduled.edit(try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                try await request.decode(as: ScheduleMessageRequest.self, context: context).draft
            }
        }
        group.delete("/scheduled-messages/:id") { _, context -> HTTPResponse.Status in
            try await scheduled.cancel(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return .noContent
        }
    }
}
