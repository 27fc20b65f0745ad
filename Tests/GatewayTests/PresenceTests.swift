import Foundation
import Testing
import TestSupport

@testable import Gateway

/// Presence: online with the first connection, offline with the last, the chosen status in
/// between, told to the user and to those who share a room with them.
@Suite struct PresenceTests {
    private func presence(_ socket: LiveSocket, of user: String) -> [String?] {
        socket.received("presence_updated").compactMap { $0["data"] as? [String: Any] }.filter { $0["user_id"] as? String == user }
            .map { $0["status"] as? String }
    }

    @Test func presenceFollowsConnectionsAndTheChosenStatus() async throws {
        try await withGateway { stack in
            let (alice, bob, carol) = try await (stack.user(), stack.user(), stack.user())
            try await stack.room(owner: alice, members: [bob])
            let aliceSocket = try await LiveSocket(port: stack.port, token: alice.token)
            let carolSocket = try await LiveSocket(port: stack.port, token: carol.token)
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == alice.id && $0["status"] as? String == "online" }

            let bobSocket = try await LiveSocket(port: stack.port, token: bob.token)
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "online" }
            try await bobSocket.waitFor("presence_updated") { $0["user_id"] as? String == bob.id }

            try await stack.updateProfile(bob, status: "busy")
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "busy" }

            // A second connection changes nothing others see; closing it neither.
            let bobPhone = try await LiveSocket(port: stack.port, token: bob.token)
            await bobPhone.close()
            // What the phone's going changed would come before a status chosen after it.
            try await stack.updateProfile(bob, status: "away")
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "away" }
            #expect(presence(aliceSocket, of: bob.id) == ["online", "busy", "away"])

            await bobSocket.close()
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "offline" }
            // Carol shares no room with Bob.
            #expect(presence(carolSocket, of: bob.id).isEmpty)
            await aliceSocket.close()
            await carolSocket.close()
        }
    }

    /// A client opening a room asks who is online there now, instead of waiting for changes.
    @Test func aRoomsMembersPresenceIsThereToAskFor() async throws {
        try await withGateway { stack in
            let (alice, bob, carol) = try await (stack.user(), stack.user(), stack.user())
            let outsider = try await stack.user()
            let room = try await stack.room(owner: alice, members: [bob, carol]).apiString
            try await stack.updateProfile(bob, status: "away")
            let bobSocket = try await LiveSocket(port: stack.port, token: bob.token)
            let aliceSocket = try await LiveSocket(port: stack.port, token: alice.token)
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == alice.id }

            let reply = try await aliceSocket.request("get_presence", ["room_id": room])
            let presence = try #require((reply["data"] as? [String: Any])?["presence"] as? [String: String])
            #expect(presence == [alice.id: "online", bob.id: "away", carol.id: "offline"])

            // Only of one's own rooms: no one learns who is online elsewhere.
            let outsiderSocket = try await LiveSocket(port: stack.port, token: outsider.token)
            let refused = try await outsiderSocket.request("get_presence", ["room_id": room])
            #expect(refused["type"] as? String == "error")
            #expect((refused["data"] as? [String: Any])?["code"] as? String == "not_found")
            for socket in [aliceSocket, bobSocket, outsiderSocket] { await socket.close() }
        }
    }

    /// A new display name shows at once to those who share a room, and to nobody else.
    @Test func aProfileChangeReachesEveryoneWhoSharesARoom() async throws {
        try await withGateway { stack in
            let (alice, bob, carol) = try await (stack.user(), stack.user(), stack.user())
            let dave = try await stack.user()
            try await stack.room(owner: alice, members: [bob])
            try await stack.room(owner: carol, members: [dave])
            let aliceSocket = try await LiveSocket(port: stack.port, token: alice.token)
            let carolSocket = try await LiveSocket(port: stack.port, token: carol.token)
            let bobSocket = try await LiveSocket(port: stack.port, token: bob.token)
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == bob.id }

            try await stack.updateProfile(bob, displayName: "Robert")
            for socket in [aliceSocket, bobSocket] {
                let update = try await socket.waitFor("user_updated")
                let user = try #require((update["data"] as? [String: Any])?["user"] as? [String: Any])
                #expect((user["id"] as? String)?.lowercased() == bob.id && user["display_name"] as? String == "Robert")
                #expect(user["totp_enabled"] == nil, "the public profile only")
            }
            // Dave's change comes after Bob's: once Carol has Dave's, Bob's would be there too.
            try await stack.updateProfile(dave, displayName: "David")
            try await carolSocket.waitFor("user_updated") { (($0["user"] as? [String: Any])?["id"] as? String)?.lowercased() == dave.id }
            #expect(carolSocket.received("user_updated").count == 1)
            for socket in [aliceSocket, bobSocket, carolSocket] { await socket.close() }
        }
    }

    @Test(arguments: [
        ("online", true, "online"), ("away", true, "away"), ("busy", true, "busy"), ("offline", true, "offline"),
        ("busy", false, "offline"), ("online", false, "offline"),
    ])
    func othersSeeTheChosenStatusOnlyWhileConnected(chosen: String, online: Bool, seen: String) {
        #expect(Presence.visibleStatus(chosen: chosen, online: online) == seen)
    }
}
