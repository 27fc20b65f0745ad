import Foundation
import Testing
import TestSupport

/// Room events reach connected members live, and each connection's rooms follow membership
/// changes without reconnecting. The gateway alone: rooms' events arrive as its relay posts them.
@Suite struct RealtimeTests {
    /// The id of the user a `user_joined` frame's data names.
    private func joinedUser(_ data: [String: Any]) -> UUID? {
        ((data["user"] as? [String: Any])?["id"] as? String).flatMap(UUID.init(uuidString:))
    }

    @Test func membersSeeJoinsAndLeavesAndRoomSetsFollowMembership() async throws {
        try await withGateway { edge in
            let (owner, bob, carol, dave) = (try await edge.user(), try await edge.user(), try await edge.user(), try await edge.user())
            let room = try await edge.room(owner: owner)
            let ids = (bob: GatewayFixture.id(bob), carol: GatewayFixture.id(carol), dave: GatewayFixture.id(dave))

            let ownerSocket = try await LiveSocket(port: edge.port, token: owner.token)
            let bobSocket = try await LiveSocket(port: edge.port, token: bob.token)
            let carolSocket = try await LiveSocket(port: edge.port, token: carol.token)

            // Bob is added while connected: he starts receiving the room at once.
            try await edge.join(bob, room, via: "added", actor: owner)
            let bobJoined = try await ownerSocket.waitFor("user_joined") { joinedUser($0) == ids.bob }
            #expect((bobJoined["data"] as? [String: Any])?["room_id"] as? String == room.apiString)
            #expect((bobJoined["event_id"] as? String)?.isEmpty == false)
            try await bobSocket.waitFor("user_joined") { joinedUser($0) == ids.bob }

            try await edge.join(carol, room, via: "added", actor: owner)
            try await bobSocket.waitFor("user_joined") { joinedUser($0) == ids.carol }
            try await carolSocket.waitFor("user_joined") { joinedUser($0) == ids.carol }

            // Carol is removed: she hears it, then nothing more from the room.
            try await edge.leave(carol, room, removedBy: owner)
            try await bobSocket.waitFor("user_left") { $0["user_id"] as? String == carol.id && $0["room_id"] as? String == room.apiString }
            try await carolSocket.waitFor("user_left") { $0["user_id"] as? String == carol.id }
            try await edge.join(dave, room, via: "added", actor: owner)
            try await bobSocket.waitFor("user_joined") { joinedUser($0) == ids.dave }
            try await carolSocket.ping()
            #expect(!carolSocket.received("user_joined").contains { ($0["data"] as? [String: Any]).flatMap(joinedUser) == ids.dave })

            // Bob leaves by himself: the others see it.
            try await edge.leave(bob, room)
            try await ownerSocket.waitFor("user_left") { $0["user_id"] as? String == bob.id }
            for socket in [ownerSocket, bobSocket, carolSocket] { await socket.close() }
        }
    }

    @Test func aUserConnectedBeforeJoiningAPublicRoomSeesItsEvents() async throws {
        try await withGateway { edge in
            let (owner, guest) = (try await edge.user(), try await edge.user())
            let room = try await edge.room("public", owner: owner)
            let ownerSocket = try await LiveSocket(port: edge.port, token: owner.token)
            let guestSocket = try await LiveSocket(port: edge.port, token: guest.token)
            try await edge.join(guest, room)
            let joined = try await ownerSocket.waitFor("user_joined")
            let user = try #require((joined["data"] as? [String: Any])?["user"] as? [String: Any])
            #expect(user["username"] as? String == guest.username && user["display_name"] != nil)
            // The guest's socket follows the room from now on, without reconnecting.
            let message = try await edge.send("welcome", in: room, as: owner)
            try await guestSocket.waitFor("message_created") {
                (($0["message"] as? [String: Any])?["id"] as? String).flatMap(UUID.init(uuidString:)) == message
            }
            for socket in [ownerSocket, guestSocket] { await socket.close() }
        }
    }

    @Test func eventsOnlyReachTheRoomsMembers() async throws {
        try await withGateway { edge in
            let (owner, outsider, guest) = (try await edge.user(), try await edge.user(), try await edge.user())
            let room = try await edge.room("public", owner: owner)
            let outsiderSocket = try await LiveSocket(port: edge.port, token: outsider.token)
            let ownerSocket = try await LiveSocket(port: edge.port, token: owner.token)
            try await edge.join(guest, room)
            _ = try await edge.send("members only", in: room, as: guest)
            try await ownerSocket.waitFor("message_created")
            try await outsiderSocket.ping()
            #expect(outsiderSocket.received("user_joined").isEmpty && outsiderSocket.received("message_created").isEmpty)
            await outsiderSocket.close()
            await ownerSocket.close()
        }
    }
}
