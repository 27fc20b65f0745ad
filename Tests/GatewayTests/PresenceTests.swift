import Foundation
import StackSupport
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
        try await withStack { stack in
            let alice = try await stack.gateway.register()
            let bob = try await stack.gateway.register()
            let carol = try await stack.gateway.register()
            let room = try #require(try await stack.gateway.call(.post, "/rooms", json: ["name": "Here", "type": "private"], token: alice.token)["id"] as? String)
            _ = try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": bob.id], token: alice.token)
            let aliceSocket = try await LiveSocket(port: stack.gatewayPort, token: alice.token)
            let carolSocket = try await LiveSocket(port: stack.gatewayPort, token: carol.token)
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == alice.id && $0["status"] as? String == "online" }

            let bobSocket = try await LiveSocket(port: stack.gatewayPort, token: bob.token)
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "online" }
            try await bobSocket.waitFor("presence_updated") { $0["user_id"] as? String == bob.id }

            #expect(try await stack.gateway.call(.patch, "/users/me", json: ["status": "busy"], token: bob.token).status == .ok)
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "busy" }

            // A second connection changes nothing others see; closing it neither.
            let bobPhone = try await LiveSocket(port: stack.gatewayPort, token: bob.token)
            await bobPhone.close()
            try await Task.sleep(for: .milliseconds(300))
            #expect(presence(aliceSocket, of: bob.id) == ["online", "busy"])

            await bobSocket.close()
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "offline" }
            // Carol shares no room with Bob.
            #expect(presence(carolSocket, of: bob.id).isEmpty)
            await aliceSocket.close()
            await carolSocket.close()
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
