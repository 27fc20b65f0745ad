import Foundation
import Hummingbird
import ServiceKit

/// Invite links: `/rooms/:id/invites` for admins, `/invites/:code` for whoever holds one.
struct InviteRoutes {
    let invitations: Invitations

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.post("/rooms/:id/invites") { request, context -> Response in
            let invite = try await invitations.create(in: try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                let body = try await request.decodeIfPresent(as: InviteRequest.self, context: context)
                return (body?.maxUses, body?.expiresIn)
            }
            return try APIResponseEncoder.response(invite, status: .created)
        }
        group.get("/rooms/:id/invites") { request, context -> ListPage<InviteResponse> in
            let page = try await invitations.invites(
                in: try context.parameters.requireID("id"), page: try PageRequest(query: request.uri.queryParameters), for: try context.requireIdentity().userID)
            return ListPage("invites", items: page.items, nextCursor: page.nextCursor)
        }
        group.get("/invites/:code") { _, context -> InviteResponse in
            try await invitations.invite(context.parameters.get("code") ?? "")
        }
        group.post("/invites/:code/accept") { _, context -> RoomResponse in
            try await invitations.accept(context.parameters.get("code") ?? "", by: try context.requireIdentity().userID)
        }
        group.delete("/invites/:code") { _, context -> HTTPResponse.Status in
            try await invitations.revoke(context.parameters.get("code") ?? "", by: try context.requireIdentity().userID)
            return .noContent
        }
    }
}
