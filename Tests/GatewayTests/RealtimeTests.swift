import Foundation
import HTTPTypes
import StackSupport
import Testing
import TestSupport

/// Room events reach connected members live, and each connection's rooms follow membership
/// changes without reconnecting.
@Suite struct RealtimeTests {
    @Test func membersSeeJoinsAndLeavesAndRoomSetsFollowMembership() async throws {
        try await withStack { stack in
            let owner = try await stack.gateway.register()
            let bob = try await stack.gateway.register()
            let carol = try await stack.gateway.register()
            let dave = try await stack.gateway.register()
            let created = try await stack.gateway.call(.post, "/rooms", json: ["name": "Live", "type": "private"], token: owner.token)
            let room = try #require(created["id"] as? String)

            let ownerSocket = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            let bobSocket = try await LiveSocket(port: stack.gatewayPort, token: bob.token)
            let carolSocket = try await LiveSocket(port: stack.gatewayPort, token: carol.token)

            // Bob is added while connected: he starts receiving the room at once.
            #expect(try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": bob.id], token: owner.token).status == .created)
            let bobJoined = try await ownerSocket.waitFor("user_joined") { ($0["user"] as? [String: Any])?["id"] as? String == bob.id }
            #expect((bobJoined["data"] as? [String: Any])?["room_id"] as? String == room)
            #expect((bobJoined["event_id"] as? String)?.isEmpty == false)
            try await bobSocket.waitFor("user_joined") { ($0["user"] as? [String: Any])?["id"] as? String == bob.id }

            #expect(try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": carol.id], token: owner.token).status == .created)
            try await bobSocket.waitFor("user_joined") { ($0["user"] as? [String: Any])?["id"] as? String == carol.id }
            try await carolSocket.waitFor("user_joined") { ($0["user"] as? [String: Any])?["id"] as? String == carol.id }

            // Carol is removed: she hears it, then nothing more from the room.
            #expect(try await stack.gateway.call(.delete, "/rooms/\(room)/members/\(carol.id)", token: owner.token).status == .noContent)
            try await bobSocket.waitFor("user_left") { $0["user_id"] as? String == carol.id && $0["room_id"] as? String == room }
            try await carolSocket.waitFor("user_left") { $0["user_id"] as? String == carol.id }
            #expect(try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": dave.id], token: owner.token).status == .created)
            try await bobSocket.waitFor("user_joined") { ($0["user"] as? [String: Any])?["id"] as? String == dave.id }
            try await carolSocket.ping()
            #expect(!carolSocket.received("user_joined").contains { (($0["data"] as? [String: Any])?["user"] as? [String: Any])?["id"] as? String == dave.id })

            // Bob leaves by himself: the others see it.
            #expect(try await stack.gateway.call(.post, "/rooms/\(room)/leave", token: bob.token).status == .noContent)
            try await ownerSocket.waitFor("user_left") { $0["user_id"] as? String == bob.id }
            for socket in [ownerSocket, bobSocket, carolSocket] { await socket.close() }
        }
    }

    @Test func aUserConnectedBeforeJoiningAPublicRoomSeesItsEvents() async throws {
        try await withStack { stack in
            let owner = try await stack.gateway.register()
            let guest = try await stack.gateway.register()
            let room = try #require(try await stack.gateway.call(.post, "/rooms", json: ["name": "Lobby", "type": "public"], token: owner.token)["id"] as? String)
            let ownerSocket = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            #expect(try await stack.gateway.call(.post, "/rooms/\(room)/join", token: guest.token).status == .ok)
            let joined = try await ownerSocket.waitFor("user_joined")
            let user = try #require((joined["data"] as? [String: Any])?["user"] as? [String: Any])
            #expect(user["username"] as? String == guest.username && user["display_name"] != nil)
            await ownerSocket.close()
        }
    }

    @Test func eventsOnlyReachTheRoomsMembers() async throws {
        try await withStack { stack in
            let owner = try await stack.gateway.register()
            let outsider = try await stack.gateway.register()
            let guest = try await stack.gateway.register()
            let room = try #require(try await stack.gateway.call(.post, "/rooms", json: ["name": "Quiet", "type": "public"], token: owner.token)["id"] as? String)
            let outsiderSocket = try await LiveSocket(port: stack.gatewayPort, token: outsider.token)
            let ownerSocket = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            _ = try await stack.gateway.call(.post, "/rooms/\(room)/join", token: guest.token)
            try await ownerSocket.waitFor("user_joined")
            try await outsiderSocket.ping()
            #expect(outsiderSocket.received("user_joined").isEmpty)
            await outsiderSocket.close()
            await ownerSocket.close()
        }
    }

    @Test func theEventEndpointIsNotPublic() async throws {
        try await withStack { stack in
            let user = try await stack.gateway.register()
            let reply = try await stack.gateway.call(.post, "/internal/events", rawBody: #"{"events":[]}"#, token: user.token)
            #expect(reply.status == .notFound)
        }
    }
}
