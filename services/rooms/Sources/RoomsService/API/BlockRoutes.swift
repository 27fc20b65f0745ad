import Foundation
import Hummingbird
import ServiceKit

/// `/users/:id/block` and `/users/me/blocks` (the gateway sends these here, the rest of `/users` to auth).
struct BlockRoutes {
    let blocking: Blocking

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.post("/users/:id/block") { _, context -> HTTPResponse.Status in
            try await blocking.block(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return .noContent
        }
        group.delete("/users/:id/block") { _, context -> HTTPResponse.Status in
            try await blocking.unblock(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return .noContent
        }
        group.get("/users/me/blocks") { request, context -> ListPage<BlockResponse> in
            let page = try await blocking.blocks(of: try context.requireIdentity().userID, page: try PageRequest(query: request.uri.queryParameters))
            return ListPage("blocks", items: page.items, nextCursor: page.nextCursor)
        }
    }
}
