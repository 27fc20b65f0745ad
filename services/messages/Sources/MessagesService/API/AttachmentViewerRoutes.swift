import Foundation
import Hummingbird
import ServiceKit

/// `GET /internal/attachments/:id/viewers/:userId`, for media (behind the service credential):
/// 204 when a live message carries the attachment and the user may view its room, else 404.
struct AttachmentViewerRoutes {
    let access: AttachmentAccess

    func add(to router: Router<ServiceRequestContext>, serviceToken: String) {
        router.group("/internal/attachments")
            .add(middleware: ServiceTokenMiddleware(token: serviceToken))
            .get("/:id/viewers/:userId") { _, context -> HTTPResponse.Status in
                let attachmentID = try context.parameters.requireID("id")
                let userID = try context.parameters.requireID("userId")
                guard try await access.canView(attachment: attachmentID, user: userID) else { throw AppError.notFound("attachment not found") }
                return .noContent
            }
    }
}
