import Foundation
import Hummingbird
import ServiceKit

/// `/rooms/:id/messages`, `/messages/:id` and what hangs off a message: reactions, receipts and
/// its thread.
struct MessageRoutes {
    let messaging: Messaging
    let reactions: Reactions
    let receipts: Receipts

    func add(to group: RouterGroup<ServiceRequestContext>) {
        // Each use case reads the body or query through the closure it is given, once the caller's
        // access to the room or message was checked: an unknown room is 404 whatever they hold.
        group.get("/rooms/:id/messages") { request, context -> MessagePageResponse in
            try await messaging.page(of: try context.parameters.requireID("id"), for: try context.requireIdentity().userID) {
                try MessageWindowQuery(request.uri.queryParameters)
            }
        }
        group.post("/rooms/:id/messages") { request, context -> Response in
            let sent = try await messaging.send(to: try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                try await request.decode(as: SendMessageRequest.self, context: context).draft
            }
            // A repeated client_id answers as the original send did.
            return try APIResponseEncoder.response(sent.message, status: .created)
        }
        group.put("/messages/:id") { request, context -> MessageResponse in
            try await messaging.edit(try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                try await request.decode(as: EditMessageRequest.self, context: context).content
            }
        }
        group.delete("/messages/:id") { _, context -> HTTPResponse.Status in
            try await messaging.delete(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return .noContent
        }
        group.get("/messages/:id/thread") { request, context -> ThreadResponse in
            try await messaging.thread(of: try context.parameters.requireID("id"), for: try context.requireIdentity().userID) {
                try MessageWindowQuery(request.uri.queryParameters)
            }
        }
        group.post("/messages/:id/reactions") { request, context -> Response in
            let message = try await reactions.add(to: try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                try await request.decode(as: ReactionRequest.self, context: context).emoji
            }
            return try APIResponseEncoder.response(message, status: .created)
        }
        group.delete("/messages/:id/reactions/:emoji") { _, context -> HTTPResponse.Status in
            try await reactions.remove(from: try context.parameters.requireID("id"), by: try context.requireIdentity().userID) {
                let raw = try context.parameters.require("emoji")
                return try MessageRules.emoji(raw.removingPercentEncoding ?? raw)
            }
            return .noContent
        }
        group.post("/messages/:id/read") { _, context -> ReadPositionResponse in
            try await receipts.markRead(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
        }
        group.get("/messages/:id/receipts") { _, context -> ReceiptsResponse in
            try await receipts.readers(of: try context.parameters.requireID("id"), for: try context.requireIdentity().userID)
        }
    }
}
