import Foundation
import Hummingbird
import ServiceKit

/// Pins (`/rooms/:id/pins`) and reports (`/messages/:id/report`, the room's queue, `/reports/:id`).
struct ModerationRoutes {
    let pins: Pins
    let reporting: Reporting

    func add(to group: RouterGroup<ServiceRequestContext>) {
        // As in `MessageRoutes`: bodies and queries are read once the caller's access was checked.
        group.get("/rooms/:id/pins") { _, context -> PinsResponse in
            try await pins.pins(in: try context.parameters.requireID("id"), for: try context.requireIdentity().userID)
        }
        group.post("/rooms/:id/pins") { request, context -> Response in
            let pinned = try await pins.pin(in: try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                try await request.decode(as: PinRequest.self, context: context).messageId
            }
            return try APIResponseEncoder.response(pinned, status: .created)
        }
        group.delete("/rooms/:id/pins/:messageId") { _, context -> HTTPResponse.Status in
            try await pins.unpin(
                try context.parameters.requireID("messageId"), in: try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return .noContent
        }
        group.post("/messages/:id/report") { request, context -> Response in
            let report = try await reporting.report(try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                try await request.decode(as: ReportRequest.self, context: context).reason
            }
            return try APIResponseEncoder.response(report, status: .created)
        }
        group.get("/rooms/:id/reports") { request, context -> ListPage<ReportResponse> in
            try await reporting.queue(of: try context.parameters.requireID("id"), for: try context.requireIdentity().userID) {
                try ReportQueueQuery(request.uri.queryParameters)
            }
        }
        group.patch("/reports/:id") { request, context -> ReportResponse in
            try await reporting.review(try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                try await request.decode(as: ReviewRequest.self, context: context).status
            }
        }
    }
}
