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
            let ids = body.ids ?? [], usernames = body.usernames ?? []
            guard ids.count <= Self.maxLookup else { throw AppError.validation(field: "ids", "at most \(Self.maxLookup) ids") }
            guard usernames.count <= Self.maxLookup else {
                throw AppError.validation(field: "usernames", "at most \(Self.maxLookup) usernames")
            }
            // A name that cannot be a username matches nobody: it never reaches the query.
            let found = try await users.find(ids: ids, usernames: usernames.filter(ProfileRules.isUsername))
            return UserLookupResponse(users: found.map { UserResponse(user: $0, includePrivateFields: false) })
        }
    }
}

struct UserLookupRequest: Decodable {
    let ids: [UUID]?
    let usernames: [String]?
}

struct UserLookupResponse: ResponseEncodable {
    let users: [UserResponse]
}
