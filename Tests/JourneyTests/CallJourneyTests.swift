import Foundation
import StackSupport
import Testing
import TestSupport

/// Calls through the gateway with every real service: ringing on every tab of whom a call
/// rings, notify's `call` notification, one tab answering, signalling only to that tab and only between the call's
/// participants, the room's line when it ends, and a missed call on a test clock.
@Suite struct CallJourneyTests {
    @Test func aCallIsRungAnsweredSignalledAndEndedWithTheRoomsLine() async throws {
        let clock = TestClock()
        try await withStack(callsClock: clock.wallClock) { stack in
            try await withTimeout(seconds: 120) {
                let room = try await RoomFixture.make(stack, memberCount: 2)
                let (alice, bob, carol) = (room.owner, room.members[0], room.members[1])
                let aliceSocket = try await LiveSocket(port: stack.gatewayPort, token: alice.token)
                let bobTab = try await LiveSocket(port: stack.gatewayPort, token: bob.token)
                let bobOtherTab = try await LiveSocket(port: stack.gatewayPort, token: bob.token)
                let carolSocket = try await LiveSocket(port: stack.gatewayPort, token: carol.token)

                let invited = try await aliceSocket.request("call_invite", ["room_id": room.id, "kind": "video"])
                let call = try #require((invited["data"] as? [String: Any])?["id"] as? String)
                for tab in [bobTab, bobOtherTab] {
                    let ringing = try await tab.waitFor("call_ringing") { ($0["call"] as? [String: Any])?["id"] as? String == call }
                    #expect(Set((ringing["data"] as? [String: Any])?["ringing_user_ids"] as? [String] ?? []) == [bob.id, carol.id])
                }
                // Notify turns the ringing into a `call` notification for each of Bob's sessions.
                let notified = try await bobOtherTab.waitFor("notification") { ($0["notification"] as? [String: Any])?["type"] as? String == "call" }
                #expect(((notified["data"] as? [String: Any])?["notification"] as? [String: Any])?["content"] as? String == "Incoming video call")
                let accepted = try await bobTab.request("call_accept", ["call_id": call])
                #expect((accepted["data"] as? [String: Any])?["status"] as? String == "active")
                // Every tab hears that bob answered (the other stops ringing).
                try await bobOtherTab.waitFor("call_updated") { data in
                    ((data["call"] as? [String: Any])?["participants"] as? [[String: Any]])?.contains {
                        $0["user_id"] as? String == bob.id && $0["state"] as? String == "joined"
                    } == true
                }

                // The offer goes to the tab that answered, and to no other.
                let offered = try await aliceSocket.request("call_offer", ["call_id": call, "to_user_id": bob.id, "data": ["sdp": "v=0 offer"]])
                #expect(offered["type"] as? String == "ack")
                let offer = try await bobTab.waitFor("call_offer") { $0["call_id"] as? String == call }
                #expect(((offer["data"] as? [String: Any])?["data"] as? [String: Any])?["sdp"] as? String == "v=0 offer")
                #expect((offer["data"] as? [String: Any])?["from_user_id"] as? String == alice.id)
                let answered = try await bobTab.request("call_answer", ["call_id": call, "to_user_id": alice.id, "data": ["sdp": "v=0 answer"]])
                #expect(answered["type"] as? String == "ack")
                try await aliceSocket.waitFor("call_answer") { $0["call_id"] as? String == call }
                // Carol was rung but is not in the call: she can neither inject nor be sent signalling.
                let injected = try await carolSocket.request("call_ice", ["call_id": call, "to_user_id": bob.id, "data": ["candidate": "x"]])
                #expect((injected["data"] as? [String: Any])?["code"] as? String == "not_in_call")
                let toCarol = try await aliceSocket.request("call_ice", ["call_id": call, "to_user_id": carol.id, "data": ["candidate": "x"]])
                #expect((toCarol["data"] as? [String: Any])?["code"] as? String == "recipient_not_in_call")
                try await bobOtherTab.ping()
                #expect(bobOtherTab.received("call_offer").isEmpty)
                #expect(carolSocket.received("call_offer").isEmpty)

                clock.advance(by: 750)
                _ = try await aliceSocket.request("call_hangup", ["call_id": call])
                let ended = try await carolSocket.waitFor("call_ended") { ($0["call"] as? [String: Any])?["id"] as? String == call }
                #expect((ended["data"] as? [String: Any])?["summary"] as? String == "Call, 12 min 30 s")
                try await eventually("the call's line never appeared") {
                    try await room.messages(as: carol, includingSystem: true).messages.contains { $0["content"] as? String == "Call, 12 min 30 s" }
                }

                // Nobody answers the next one: after 45 s it is missed.
                let second = try await stack.gateway.call(.post, "/rooms/\(room.id)/calls", json: ["kind": "voice"], token: bob.token)
                #expect(second.status == .created)
                clock.advance(by: 46)
                try await eventually("the missed call's line never appeared") {
                    try await room.messages(as: alice, includingSystem: true).messages.contains { $0["content"] as? String == "Missed call" }
                }
                for socket in [aliceSocket, bobTab, bobOtherTab, carolSocket] { await socket.close() }
            }
        }
    }
}
