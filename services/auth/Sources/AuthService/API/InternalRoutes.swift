import Foundation
import Hummingbird
import ServiceKit

/// `/internal/*`: what other services ask auth, behind the service credential.
struct InternalRoutes {
    static let maxLookup = 1000
    let users: UserStore

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.post("/users/lookup") { request, context -> UserLookupResponse in
            let body = try await request.decode(as: UserLookupRequest.self, context: context)
            guard body.ids.count <= Self.maxLookup else {
                throw AppError.validation(field: "ids", "at most \(Self.maxLookup) ids")
            }
            let found = try await users.find(ids: body.ids)
            return UserLookupResponse(users: found.map { UserResponse(user: $0, includePrivateFields: false) })
        }
    }
}

struct UserLookupRequest: Decodable {
    let ids: [UUID]
}

struct UserLookupResponse: ResponseEncodable {
    let users: [UserResponse]
}
