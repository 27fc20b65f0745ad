import Foundation
import Hummingbird
import ServiceKit

/// `GET /search`.
struct SearchRoutes {
    let searching: Searching

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.get("/search") { request, context -> ListPage<SearchResult> in
            try await searching.search(try SearchParameters(request.formParameters), by: try context.requireIdentity().userID)
        }
    }
}
