import Foundation
import HummingbirdTesting
import StackSupport
import Testing
import TestSupport

@testable import Gateway

/// Presence: online with the first connection, offline with the last, the chosen status in
/// between, told to the user and to those who share a room with them.
@Suite struct PresenceTests {
    typealias User = (token: String, id: String, username: String)

    /// A private room of `owner` with `members` added; its id.
    @discardableResult
    static func privateRoom(of owner: User, with members: [User], through gateway: any TestClientProtocol) async throws -> String {
        let room = try #require(try await gateway.call(.post, "/rooms", json: ["name": "Here", "type": "private"], token: owner.token)["id"] as? String)
        for member in members {
            _ = try await gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": member.id], token: owner.token)
        }
        return room
    }

    private func presence(_ socket: LiveSocket, of user: String) -> [String?] {
        socket.received("presence_updated").compactMap { $0["data"] as? [String: Any] }.filter { $0["user_id"] as? String == user }
            .map { $0["status"] as? String }
    }

    @Test func presenceFollowsConnectionsAndTheChosenStatus() async throws {
        try await withStack { stack in
            let (alice, bob, carol) = try await (stack.gateway.register(), stack.gateway.register(), stack.gateway.register())
            try await Self.privateRoom(of: alice, with: [bob], through: stack.gateway)
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
            // What the phone's going changed would come before a status chosen after it.
            #expect(try await stack.gateway.call(.patch, "/users/me", json: ["status": "away"], token: bob.token).status == .ok)
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
        try await withStack { stack in
            let (alice, bob, carol) = try await (stack.gateway.register(), stack.gateway.register(), stack.gateway.register())
            let outsider = try await stack.gateway.register()
            let room = try await Self.privateRoom(of: alice, with: [bob, carol], through: stack.gateway)
            #expect(try await stack.gateway.call(.patch, "/users/me", json: ["status": "away"], token: bob.token).status == .ok)
            let bobSocket = try await LiveSocket(port: stack.gatewayPort, token: bob.token)
            let aliceSocket = try await LiveSocket(port: stack.gatewayPort, token: alice.token)
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == alice.id }

            let reply = try await aliceSocket.request("get_presence", ["room_id": room])
            let presence = try #require((reply["data"] as? [String: Any])?["presence"] as? [String: String])
            #expect(presence == [alice.id: "online", bob.id: "away", carol.id: "offline"])

            // Only of one's own rooms: no one learns who is online elsewhere.
            let outsiderSocket = try await LiveSocket(port: stack.gatewayPort, token: outsider.token)
            let refused = try await outsiderSocket.request("get_presence", ["room_id": room])
            #expect(refused["type"] as? String == "error")
            #expect((refused["data"] as? [String: Any])?["code"] as? String == "not_found")
            for socket in [aliceSocket, bobSocket, outsiderSocket] { await socket.close() }
        }
    }

    /// A new display name shows at once to those who share a room, and to nobody else.
    @Test func aProfileChangeReachesEveryoneWhoSharesARoom() async throws {
        try await withStack { stack in
            let (alice, bob, carol) = try await (stack.gateway.register(), stack.gateway.register(), stack.gateway.register())
            let dave = try await stack.gateway.register()
            try await Self.privateRoom(of: alice, with: [bob], through: stack.gateway)
            try await Self.privateRoom(of: carol, with: [dave], through: stack.gateway)
            let aliceSocket = try await LiveSocket(port: stack.gatewayPort, token: alice.token)
            let carolSocket = try await LiveSocket(port: stack.gatewayPort, token: carol.token)
            let bobSocket = try await LiveSocket(port: stack.gatewayPort, token: bob.token)
            try await aliceSocket.waitFor("presence_updated") { $0["user_id"] as? String == bob.id }

            #expect(try await stack.gateway.call(.patch, "/users/me", json: ["display_name": "Robert"], token: bob.token).status == .ok)
            for socket in [aliceSocket, bobSocket] {
                let update = try await socket.waitFor("user_updated")
                let user = try #require((update["data"] as? [String: Any])?["user"] as? [String: Any])
                #expect(user["id"] as? String == bob.id && user["display_name"] as? String == "Robert")
                #expect(user["totp_enabled"] == nil, "the public profile only")
            }
            // Dave's change comes after Bob's: once Carol has Dave's, Bob's would be there too.
            #expect(try await stack.gateway.call(.patch, "/users/me", json: ["display_name": "David"], token: dave.token).status == .ok)
            try await carolSocket.waitFor("user_updated") { ($0["user"] as? [String: Any])?["id"] as? String == dave.id }
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
