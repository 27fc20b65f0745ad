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
        group.get("/rooms/:id/messages") { request, context -> MessagePageResponse in
            let query = try MessageWindowQuery(request.uri.queryParameters)
            return try await messaging.page(
                of: try context.parameters.requireID("id"), query.window, limit: query.limit, for: try context.requireIdentity().userID)
        }
        group.post("/rooms/:id/messages") { request, context -> Response in
            let draft = try await request.decode(as: SendMessageRequest.self, context: context).draft
            let sent = try await messaging.send(draft, to: try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            // A repeated client_id answers as the original send did.
            return try APIResponseEncoder.response(sent.message, status: .created)
        }
        group.put("/messages/:id") { request, context -> MessageResponse in
            let content = try await request.decode(as: EditMessageRequest.self, context: context).content
            return try await messaging.edit(try context.parameters.requireID("id"), content: content, by: try context.requireIdentity().userID)
        }
        group.delete("/messages/:id") { _, context -> HTTPResponse.Status in
            try await messaging.delete(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return .noContent
        }
        group.get("/messages/:id/thread") { request, context -> ThreadResponse in
            let query = try MessageWindowQuery(request.uri.queryParameters)
            return try await messaging.thread(
                of: try context.parameters.requireID("id"), query.window, limit: query.limit, for: try context.requireIdentity().userID)
        }
        group.post("/messages/:id/reactions") { request, context -> Response in
            let emoji = try await request.decode(as: ReactionRequest.self, context: context).emoji
            let message = try await reactions.add(emoji, to: try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return try APIResponseEncoder.response(message, status: .created)
        }
        group.delete("/messages/:id/reactions/:emoji") { _, context -> HTTPResponse.Status in
            let raw = try context.parameters.require("emoji")
            let emoji = try MessageRules.emoji(raw.removingPercentEncoding ?? raw)
            try await reactions.remove(emoji, from: try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
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
