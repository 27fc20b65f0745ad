import Foundation
import StackSupport
import Testing
import TestSupport

/// Message events reach every connected member through the gateway, and nobody else.
@Suite struct MessageRealtimeTests {
    @Test func membersReceiveEveryMessageEventLive() async throws {
        try await withStack { stack in
            let room = try await RoomFixture.make(stack)
            let bob = room.members[0]
            let outsider = try await stack.gateway.register()
            let bobSocket = try await LiveSocket(port: stack.gatewayPort, token: bob.token)
            let outsiderSocket = try await LiveSocket(port: stack.gatewayPort, token: outsider.token)

            let id = try #require(try await room.sent("live", as: room.owner).id)
            let created = try await bobSocket.waitFor("message_created") { ($0["message"] as? [String: Any])?.id == id }
            #expect((created["data"] as? [String: Any])?["room_id"] as? String == room.id)
            #expect((created["event_id"] as? String)?.isEmpty == false)
            #expect(((created["data"] as? [String: Any])?["message"] as? [String: Any])?["content"] as? String == "live")

            _ = try await stack.gateway.call(.put, "/messages/\(id)", json: ["content": "live!"], token: room.owner.token)
            try await bobSocket.waitFor("message_updated") { ($0["message"] as? [String: Any])?["content"] as? String == "live!" }
            _ = try await stack.gateway.call(.post, "/messages/\(id)/reactions", json: ["emoji": "🎉"], token: room.owner.token)
            let reaction = try await bobSocket.waitFor("reaction_added") { $0["message_id"] as? String == id }
            let data = try #require(reaction["data"] as? [String: Any])
            #expect(data["emoji"] as? String == "🎉" && (data["user"] as? [String: Any])?["id"] as? String == room.owner.id)
            _ = try await stack.gateway.call(.delete, "/messages/\(id)/reactions/%F0%9F%8E%89", token: room.owner.token)
            try await bobSocket.waitFor("reaction_removed") { $0["message_id"] as? String == id }
            _ = try await stack.gateway.call(.post, "/messages/\(id)/read", token: bob.token)
            let read = try await bobSocket.waitFor("message_read") { $0["user_id"] as? String == bob.id }
            #expect((read["data"] as? [String: Any])?["unread_count"] == nil)
            _ = try await stack.gateway.call(.delete, "/messages/\(id)", token: room.owner.token)
            try await bobSocket.waitFor("message_deleted") { $0["message_id"] as? String == id }

            // Event ids order the room's events.
            let order = ["message_created", "message_updated", "reaction_added", "reaction_removed", "message_read", "message_deleted"]
            let eventIDs = order.compactMap { bobSocket.received($0).last?["event_id"] as? String }
            #expect(eventIDs.count == order.count && eventIDs == eventIDs.sorted())

            try await outsiderSocket.ping()
            #expect(order.allSatisfy { outsiderSocket.received($0).isEmpty })
            await bobSocket.close()
            await outsiderSocket.close()
        }
    }

    /// A `send_message` frame reaches messages' own checks: text Postgres cannot store is refused
    /// naming its field, as over REST.
    @Test func aFrameWithTextPostgresCannotStoreIsRefusedNamingItsField() async throws {
        try await withStack { stack in
            let room = try await RoomFixture.make(stack, memberCount: 0)
            let socket = try await LiveSocket(port: stack.gatewayPort, token: room.owner.token)
            let framed = try await socket.request("send_message", ["room_id": room.id, "content": "a\u{0}b"])
            let error = try #require(framed["data"] as? [String: Any])
            #expect(framed["type"] as? String == "error" && error["code"] as? String == "validation_failed")
            #expect((error["details"] as? [String: Any])?["field"] as? String == "content")
            #expect(try await room.messages(as: room.owner).messages.isEmpty)
            await socket.close()
        }
    }
}
