import Foundation
import Hummingbird
import ServiceKit

/// `/rooms` and `/rooms/:id`: rooms themselves, joining, leaving, and the caller's notification level.
/// A room-scoped route hands its body's decoding to the use case, which reads it only once the
/// caller may act on the room (an unknown room is 404 whatever the body holds).
struct RoomRoutes {
    let lifecycle: RoomLifecycle
    let members: MemberManagement

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.get("/rooms") { request, context -> ListPage<RoomResponse> in
            let page = try await lifecycle.myRooms(try context.requireIdentity().userID, page: try PageRequest(query: request.uri.queryParameters))
            return ListPage("rooms", items: page.items, nextCursor: page.nextCursor)
        }
        group.get("/rooms/public") { request, context -> ListPage<RoomResponse> in
            let query = request.uri.queryParameters
            let text = query["q"].map { String($0).trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            guard (text?.count ?? 0) <= 100 else { throw AppError.validation(field: "q", "q must be at most 100 characters") }
            let page = try await lifecycle.publicRooms(matching: text, page: try PageRequest(query: query), for: try context.requireIdentity().userID)
            return ListPage("rooms", items: page.items, nextCursor: page.nextCursor)
        }
        group.post("/rooms") { request, context -> Response in
            let userID = try context.requireIdentity().userID
            switch try await request.decode(as: CreateRoomRequest.self, context: context).kind {
            case .group(let draft):
                return try APIResponseEncoder.response(try await lifecycle.createGroupRoom(draft, by: userID), status: .created)
            case .direct(let peer):
                let (room, created) = try await lifecycle.openDirectRoom(with: peer, by: userID)
                return try APIResponseEncoder.response(room, status: created ? .created : .ok)
            }
        }
        group.get("/rooms/:id") { _, context -> RoomResponse in
            try await lifecycle.room(try context.parameters.requireID("id"), for: try context.requireIdentity().userID)
        }
        group.put("/rooms/:id") { request, context -> RoomResponse in
            try await lifecycle.update(try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                try await request.decode(as: UpdateRoomRequest.self, context: context).change
            }
        }
        group.delete("/rooms/:id") { _, context -> HTTPResponse.Status in
            try await lifecycle.delete(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return .noContent
        }
        group.post("/rooms/:id/join") { request, context -> RoomResponse in
            try await lifecycle.join(try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                try await request.decodeIfPresent(as: JoinRequest.self, context: context)?.password
            }
        }
        group.post("/rooms/:id/leave") { _, context -> HTTPResponse.Status in
            try await lifecycle.leave(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return .noContent
        }
        group.put("/rooms/:id/notifications") { request, context -> NotificationLevelResponse in
            try await members.setNotificationLevel(in: try context.parameters.requireID("id"), for: try context.requireIdentity().userID) {
                try await request.decode(as: NotificationLevelRequest.self, context: context).level
            }
        }
    }
}
