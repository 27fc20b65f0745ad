import Foundation
import Hummingbird
import ServiceKit

/// `/internal/attachments/*`, for messages only (behind the service credential).
struct InternalRoutes {
    let env: MediaEnvironment

    struct ClaimRequest: Decodable {
        let userId: UUID
        let attachmentIds: [UUID]
    }

    func add(to router: Router<ServiceRequestContext>, serviceToken: String) {
        router.group("/internal/attachments")
            .add(middleware: ServiceTokenMiddleware(token: serviceToken))
            .post("/claim") { request, context -> ClaimedAttachmentsResponse in
                let claim = try await request.decode(as: ClaimRequest.self, context: context)
                guard claim.attachmentIds.count <= 10 else { throw AppError.validation(field: "attachment_ids", "at most 10 attachments per message") }
                let linked = try await env.attachments.link(claim.attachmentIds, uploader: claim.userId, at: env.clock.now())
                return ClaimedAttachmentsResponse(attachments: linked.map(AttachmentResponse.init))
            }
    }
}
