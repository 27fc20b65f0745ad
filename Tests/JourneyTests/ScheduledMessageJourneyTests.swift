import Foundation
import ServiceKit
import StackSupport
import Testing
import TestSupport

/// Messages for later through the gateway with every real service, on messages' test clock: one
/// arrives in the room at its time, and its author's tabs hear it was sent; one whose author
/// left the room meanwhile fails, and its author's tabs hear why.
@Suite struct ScheduledMessageJourneyTests {
    @Test func aScheduledMessageArrivesAtItsTimeAndOneWhoseAuthorLeftFails() async throws {
        let clock = TestClock()
        let start = clock.now
        try await withStack(messagesClock: clock.wallClock) { stack in
            try await withTimeout(seconds: 120) {
                let room = try await RoomFixture.make(stack, type: "public", memberCount: 2)
                let (alice, bob, carol) = (room.owner, room.members[0], room.members[1])
                let aliceSocket = try await LiveSocket(port: stack.gatewayPort, token: alice.token)
                let bobSocket = try await LiveSocket(port: stack.gatewayPort, token: bob.token)
                let carolSocket = try await LiveSocket(port: stack.gatewayPort, token: carol.token)
                let sendAt = Timestamp.format(start.addingTimeInterval(120))
                let path = "/rooms/\(room.id)/scheduled-messages"
                let scheduled = try await stack.gateway.call(.post, path, json: ["content": "standup now", "send_at": sendAt], token: alice.token)
                #expect(scheduled.status == .created)
                let failing = try await stack.gateway.call(.post, path, json: ["content": "see you", "send_at": sendAt], token: bob.token)
                #expect(failing.status == .created)
                #expect(try await stack.gateway.call(.post, "/rooms/\(room.id)/leave", token: bob.token).status.code < 300)

                clock.advance(by: 121)
                let arrived = try await carolSocket.waitFor("message_created") { ($0["message"] as? [String: Any])?["content"] as? String == "standup now" }
                #expect((((arrived["data"] as? [String: Any])?["message"] as? [String: Any])?["sender"] as? [String: Any])?["id"] as? String == alice.id)
                try await aliceSocket.waitFor("scheduled_message_updated") {
                    ($0["scheduled_message"] as? [String: Any])?["status"] as? String == "sent"
                }
                let failed = try await bobSocket.waitFor("scheduled_message_updated") {
                    ($0["scheduled_message"] as? [String: Any])?["status"] as? String == "failed"
                }
                #expect(((failed["data"] as? [String: Any])?["scheduled_message"] as? [String: Any])?["failure"] as? String == "you are not a member of this room")
                #expect(try await room.messages(as: carol).messages.filter { $0["content"] as? String == "see you" }.isEmpty)
                for socket in [aliceSocket, bobSocket, carolSocket] { await socket.close() }
            }
        }
    }
}
