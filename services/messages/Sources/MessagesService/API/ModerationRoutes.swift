import Foundation
import Hummingbird
import ServiceKit

/// Pins (`/rooms/:id/pins`) and reports (`/messages/:id/report`, the room's queue, `/reports/:id`).
struct ModerationRoutes {
    let pins: Pins
    let reporting: Reporting

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.get("/rooms/:id/pins") { _, context -> PinsResponse in
            try await pins.pins(in: try context.parameters.requireID("id"), for: try context.requireIdentity().userID)
        }
        group.post("/rooms/:id/pins") { request, context -> Response in
            let messageID = try await request.decode(as: PinRequest.self, context: context).messageId
            let pinned = try await pins.pin(messageID, in: try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return try APIResponseEncoder.response(pinned, status: .created)
        }
        group.delete("/rooms/:id/pins/:messageId") { _, context -> HTTPResponse.Status in
            try await pins.unpin(
                try context.parameters.requireID("messageId"), in: try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return .noContent
        }
        group.post("/messages/:id/report") { request, context -> Response in
            let reason = try await request.decode(as: ReportRequest.self, context: context).reason
            let report = try await reporting.report(try context.parameters.requireID("id"), reason: reason, by: try context.requireIdentity().userID)
            return try APIResponseEncoder.response(report, status: .created)
        }
        group.get("/rooms/:id/reports") { request, context -> ListPage<ReportResponse> in
            let query = request.uri.queryParameters
            return try await reporting.queue(
                of: try context.parameters.requireID("id"), statuses: try ReportStatusFilter.statuses(query), page: try PageRequest(query: query),
                for: try context.requireIdentity().userID)
        }
        group.patch("/reports/:id") { request, context -> ReportResponse in
            let status = try await request.decode(as: ReviewRequest.self, context: context).status
            return try await reporting.review(try context.parameters.requireID("id"), status: status, by: try context.requireIdentity().userID)
        }
    }
}
