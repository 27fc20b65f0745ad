import Foundation
import Hummingbird
import ServiceKit

/// `/internal/*` for other services (behind the service credential): media's question about who
/// may see an attachment, and the export search rebuilds its index from.
struct InternalRoutes {
    let attachments: AttachmentAccess
    let export: MessageExport

    func add(to router: Router<ServiceRequestContext>, serviceToken: String) {
        let group = router.group("/internal").add(middleware: ServiceTokenMiddleware(token: serviceToken))
        // 204 when a live message carries the attachment and the user may view its room, else 404.
        group.get("/attachments/:id/viewers/:userId") { _, context -> HTTPResponse.Status in
            let attachmentID = try context.parameters.requireID("id")
            let userID = try context.parameters.requireID("userId")
            guard try await attachments.canView(attachment: attachmentID, user: userID) else { throw AppError.notFound("attachment not found") }
            return .noContent
        }
        group.get("/messages") { request, _ -> ExportPageResponse in
            let query = request.uri.queryParameters
            let after = try query["after"].map { text in
                guard let id = UUID(uuidString: String(text)) else { throw AppError.validation(field: "after", "after is a message id") }
                return id
            }
            let limit = try query["limit"].map { text in
                guard let limit = Int(text), (1...MessageExport.maxPage).contains(limit) else {
                    throw AppError.validation(field: "limit", "limit must be 1-\(MessageExport.maxPage)")
                }
                return limit
            } ?? MessageExport.maxPage
            return try await export.page(after: after, limit: limit)
        }
    }
}
