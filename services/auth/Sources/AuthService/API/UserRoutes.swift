import Foundation
import Hummingbird
import ServiceKit

/// `/users/*`: profiles, search, and editing your own.
struct UserRoutes {
    let users: UserStore
    let profiles: Profiles

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.get("/users/search") { request, _ -> ListPage<UserResponse> in
            let query = request.uri.queryParameters
            let prefix = (query["q"].map(String.init) ?? "").trimmingCharacters(in: .whitespaces)
            guard (1...50).contains(prefix.count) else { throw AppError.validation(field: "q", "q must be 1-50 characters") }
            let page = try PageRequest(query: query)
            let found = try await users.search(prefix: prefix, afterKey: page.cursor, limit: page.limit + 1)
            let shown = Array(found.prefix(page.limit))
            return ListPage(
                "users", items: shown.map { UserResponse(user: $0, includePrivateFields: false) },
                nextCursor: found.count > page.limit ? shown.last.map { PageRequest.cursor(for: $0.username.lowercased()) } : nil)
        }
        group.patch("/users/me") { request, context -> UserResponse in
            let body = try await request.decode(as: ProfileUpdateRequest.self, context: context)
            return UserResponse(user: try await profiles.update(try context.requireIdentity().userID, change: body.change), includePrivateFields: true)
        }
        group.get("/users/:id") { _, context -> UserResponse in
            guard let id = context.parameters.get("id").flatMap(UUID.init(uuidString:)), let user = try await users.find(id: id) else {
                throw AppError.notFound("user not found")
            }
            return UserResponse(user: user, includePrivateFields: false)
        }
    }
}
