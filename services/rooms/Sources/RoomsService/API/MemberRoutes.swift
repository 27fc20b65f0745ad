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
            let target = try await request.decode(as: UserIDRequest.self, context: context).userId
            let added = try await members.add(target, to: try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return try APIResponseEncoder.response(added, status: .created)
        }
        group.delete("/rooms/:id/members/:userId") { _, context -> HTTPResponse.Status in
            try await members.remove(
                try context.parameters.requireID("userId"), from: try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return .noContent
        }
        group.patch("/rooms/:id/members/:userId/role") { request, context -> MembershipResponse in
            let role = try await request.decode(as: RoleRequest.self, context: context).role
            return try await members.changeRole(
                of: try context.parameters.requireID("userId"), in: try context.parameters.requireID("id"), to: role,
                by: try context.requireIdentity().userID)
        }
        group.post("/rooms/:id/members/:userId/mute") { request, context -> MembershipResponse in
            let duration = try await request.decodeIfPresent(as: MuteRequest.self, context: context)?.duration
            return try await members.setMute(
                try context.parameters.requireID("userId"), in: try context.parameters.requireID("id"), muted: true, duration: duration,
                by: try context.requireIdentity().userID)
        }
        group.delete("/rooms/:id/members/:userId/mute") { _, context -> MembershipResponse in
            try await members.setMute(
                try context.parameters.requireID("userId"), in: try context.parameters.requireID("id"), muted: false, duration: nil,
                by: try context.requireIdentity().userID)
        }
        group.get("/rooms/:id/mutes") { request, context -> ListPage<MembershipResponse> in
            let page = try await members.members(
                of: try context.parameters.requireID("id"), page: try PageRequest(query: request.uri.queryParameters),
                for: try context.requireIdentity().userID, mutedOnly: true)
            return ListPage("members", items: page.items, nextCursor: page.nextCursor)
        }
        group.post("/rooms/:id/bans") { request, context -> Response in
            let body = try await request.decode(as: BanRequest.self, context: context)
            let ban = try await bans.ban(body.userId, from: try context.parameters.requireID("id"), reason: body.reason, by: try context.requireIdentity().userID)
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
