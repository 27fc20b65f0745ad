import Foundation
import StackSupport
import Testing
import TestSupport

/// Pong through the gateway with every real service: the invitation is a `game` message in the
/// room, inputs go over the socket (refused to anyone but the players), whoever looks at the room
/// watches the state, and the result is the room's system message.
@Suite struct PongJourneyTests {
    @Test func aMatchFromTheInvitationToTheResultInTheRoom() async throws {
        let clock = TestClock()
        try await withStack(gamesClock: clock.wallClock) { stack in
            try await withTimeout(seconds: 120) {
                let room = try await RoomFixture.make(stack, memberCount: 2)
                let (alice, bob, carol) = (room.owner, room.members[0], room.members[1])
                let outsider = try await stack.gateway.register()

                let invited = try await stack.gateway.call(.post, "/rooms/\(room.id)/games", json: ["game": "pong", "invitee_id": bob.id], token: alice.token)
                #expect(invited.status == .created)
                let invitation = try #require(invited["id"] as? String)
                // Messages posts the invitation for alice: a `game` message naming it.
                var message: [String: Any] = [:]
                try await eventually("the invitation message never appeared") {
                    message = try await room.messages(as: carol).messages.first { $0["type"] as? String == "game" } ?? [:]
                    return !message.isEmpty
                }
                #expect(message["game_id"] as? String == invitation)
                #expect((message["sender"] as? [String: Any])?["id"] as? String == alice.id)
                let aliceName = try #require((message["sender"] as? [String: Any])?["display_name"] as? String)
                #expect(message["content"] as? String == "\(aliceName) invited \(bob.username) to play Pong")
                #expect(try await stack.gateway.call(.put, "/messages/\(message.id!)", json: ["content": "no"], token: alice.token).status == .forbidden)

                let aliceSocket = try await LiveSocket(port: stack.gatewayPort, token: alice.token)
                let carolSocket = try await LiveSocket(port: stack.gatewayPort, token: carol.token)
                let outsiderSocket = try await LiveSocket(port: stack.gatewayPort, token: outsider.token)
                _ = try await carolSocket.request("join_room", ["room_id": room.id])

                let accepted = try await stack.gateway.call(.post, "/games/invitations/\(invitation)/accept", token: bob.token)
                let match = try #require((accepted["match"] as? [String: Any])?["id"] as? String)
                try await carolSocket.waitFor("game_invitation_updated") { ($0["invitation"] as? [String: Any])?["status"] as? String == "accepted" }
                try await carolSocket.waitFor("game_started") { ($0["match"] as? [String: Any])?["id"] as? String == match }

                // A player's input is acknowledged with the side they play; anyone else's is refused.
                let input = try await aliceSocket.request("pong_input", ["match_id": match, "direction": "up", "seq": 1])
                #expect(input["type"] as? String == "ack")
                #expect((input["data"] as? [String: Any])?["side"] as? String == "left")
                let injected = try await carolSocket.request("pong_input", ["match_id": match, "direction": "down"])
                #expect(injected["type"] as? String == "error")
                #expect((injected["data"] as? [String: Any])?["code"] as? String == "not_a_player")
                let outside = try await outsiderSocket.request("pong_input", ["match_id": match, "direction": "down"])
                #expect((outside["data"] as? [String: Any])?["code"] as? String == "not_found")

                // Carol, looking at the room, watches; bob never turns up and forfeits after 10 s.
                // Alice repeats her input every second, as a client does; the loop waits on the
                // clock between ticks until the match ends.
                var ticks = 0
                while true {
                    if ticks % 60 == 0 { _ = try await aliceSocket.request("pong_input", ["match_id": match, "direction": "up", "seq": 1]) }
                    let over = try await withThrowingTaskGroup(of: Bool.self) { group in
                        group.addTask { await clock.sleeperArrived(); return false }
                        group.addTask {
                            try await eventually(seconds: 600, "the match neither ticks nor ends") { try await isOver(match, stack: stack, as: carol) }
                            return true
                        }
                        defer { group.cancelAll() }
                        return try await group.next()!
                    }
                    if over { break }
                    clock.advance(by: 1.0 / 60 + 0.000_001)
                    ticks += 1
                    if ticks == 30 {
                        let state = try await carolSocket.waitFor("pong_state") { $0["match_id"] as? String == match }
                        #expect(((state["data"] as? [String: Any])?["inputs"] as? [String: [String: Any]])?["left"]?["seq"] as? Int == 1)
                    }
                }
                try await carolSocket.waitFor("game_finished") { ($0["match"] as? [String: Any])?["status"] as? String == "forfeited" }
                try await eventually("the result never appeared in the room") {
                    try await room.messages(as: carol, includingSystem: true).messages.contains {
                        ($0["content"] as? String) == "\(aliceName) beat \(bob.username) 0-0 (\(bob.username) left the match)"
                    }
                }
                try await outsiderSocket.ping()
                #expect(outsiderSocket.received("pong_state").isEmpty)
                for socket in [aliceSocket, carolSocket, outsiderSocket] { await socket.close() }
            }
        }
    }

    /// Whether the match has ended, as the room's members can read it.
    private func isOver(_ match: String, stack: Stack, as user: TestUser) async throws -> Bool {
        try await stack.gateway.call(.get, "/games/matches/\(match)", token: user.token)["status"] as? String != "playing"
    }
}
