import Foundation
import Hummingbird
import ServiceKit

/// `/rooms/:id/members`, roles, mutes and bans.
struct MemberRoutes {
    let members: MemberManagement
    let bans: Bans

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.get("/rooms/:id/members") { request, context -> ListPage<MembershipResponse> in
            let page = try await members.members(
                of: try context.parameters.requireID("id"), page: try PageRequest(query: request.uri.queryParameters), for: try context.requireIdentity().userID)
            return ListPage("members", items: page.items, nextCursor: page.nextCursor)
        }
        group.post("/rooms/:id/members") { request, context -> Response in
            let added = try await members.add(to: try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                try await request.decode(as: UserIDRequest.self, context: context).userId
            }
            return try APIResponseEncoder.response(added, status: .created)
        }
        group.delete("/rooms/:id/members/:userId") { _, context -> HTTPResponse.Status in
            try await members.remove(
                try context.parameters.requireID("userId"), from: try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return .noContent
        }
        group.patch("/rooms/:id/members/:userId/role") { request, context -> MembershipResponse in
            try await members.changeRole(
                of: try context.parameters.requireID("userId"), in: try context.parameters.requireID("id"), by: try context.requireIdentity().userID
            ) { try await request.decode(as: RoleRequest.self, context: context).role }
        }
        group.post("/rooms/:id/members/:userId/mute") { request, context -> MembershipResponse in
            try await members.setMute(
                try context.parameters.requireID("userId"), in: try context.parameters.requireID("id"), muted: true,
                by: try context.requireIdentity().userID
            ) { try await request.decodeIfPresent(as: MuteRequest.self, context: context)?.duration }
        }
        group.delete("/rooms/:id/members/:userId/mute") { _, context -> MembershipResponse in
            try await members.setMute(
                try context.parameters.requireID("userId"), in: try context.parameters.requireID("id"), muted: false,
                by: try context.requireIdentity().userID
            ) { nil }
        }
        group.get("/rooms/:id/mutes") { request, context -> ListPage<MembershipResponse> in
            let page = try await members.members(
                of: try context.parameters.requireID("id"), page: try PageRequest(query: request.uri.queryParameters),
                for: try context.requireIdentity().userID, mutedOnly: true)
            return ListPage("members", items: page.items, nextCursor: page.nextCursor)
        }
        group.post("/rooms/:id/bans") { request, context -> Response in
            let ban = try await bans.ban(from: try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                let body = try await request.decode(as: BanRequest.self, context: context)
                return (body.userId, body.reason)
            }
            return try APIResponseEncoder.response(ban, status: .created)
        }
        group.delete("/rooms/:id/bans/:userId") { _, context -> HTTPResponse.Status in
            try await bans.unban(
                try context.parameters.requireID("userId"), from: try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return .noContent
        }
        group.get("/rooms/:id/bans") { request, context -> ListPage<BanResponse> in
            let page = try await bans.bans(
                in: try context.parameters.requireID("id"), page: try PageRequest(query: request.uri.queryParameters), for: try context.requireIdentity().userID)
            return ListPage("bans", items: page.items, nextCursor: page.nextCursor)
        }
    }
}
