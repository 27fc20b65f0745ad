import Foundation
import Hummingbird
import ServiceKit

/// `/internal/*`: what the other services ask, behind the service credential.
struct InternalRoutes {
    let queries: MembershipQueries

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.get("/rooms/:id/members/:userId") { _, context -> MemberAccessResponse in
            guard let access = try await queries.access(of: try context.parameters.requireID("userId"), in: try context.parameters.requireID("id")) else {
                throw AppError.notFound("room not found")
            }
            return access
        }
        group.get("/rooms/:id/members") { _, context -> RoomMembersResponse in
            guard let members = try await queries.members(of: try context.parameters.requireID("id")) else { throw AppError.notFound("room not found") }
            return members
        }
        group.get("/users/:id/rooms") { _, context -> RoomIDsResponse in
            RoomIDsResponse(roomIds: try await queries.roomIDs(of: try context.parameters.requireID("id")))
        }
        group.get("/users/:id/blocks") { _, context -> BlockedIDsResponse in
            BlockedIDsResponse(userIds: try await queries.blockedIDs(by: try context.parameters.requireID("id")))
        }
        group.get("/users/:id/blockers") { _, context -> BlockedIDsResponse in
            BlockedIDsResponse(userIds: try await queries.blockerIDs(of: try context.parameters.requireID("id")))
        }
        group.get("/blocks/:userId/:otherId") { _, context -> BlockPairResponse in
            try await queries.blocks(between: try context.parameters.requireID("userId"), and: try context.parameters.requireID("otherId"))
        }
    }
}
