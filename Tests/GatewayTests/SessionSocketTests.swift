import Foundation
import ServiceKit
import StackSupport
import Testing
import TestSupport

/// Issue 15, row 2: a socket belongs to its login session. Logout, any revocation and the token's
/// expiry close it (4001 `session_ended`), on every gateway, before anything more reaches it.
@Suite struct SessionSocketTests {
    /// A private room of `owner` with `members` added, through the gateway.
    private func room(_ stack: Stack, owner: String, members: [String]) async throws -> String {
        let room = try #require(try await stack.gateway.call(.post, "/rooms", json: ["name": "Private", "type": "private"], token: owner)["id"] as? String)
        for member in members {
            #expect(try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": member], token: owner).status == .created)
        }
        return room
    }

    private func messageIDs(_ socket: LiveSocket) -> [String] {
        socket.received("message_created").compactMap { (($0["data"] as? [String: Any])?["message"] as? [String: Any])?["id"] as? String }
    }

    @Test func logoutClosesTheSessionsSocketsOnEveryGatewayBeforeAPrivateMessageSentAfterItArrives() async throws {
        try await withStack(secondGateway: true) { stack in
            let alice = try await stack.gateway.register()
            let bob = try await stack.gateway.register()
            let second = try #require(stack.secondGatewayPort)
            let room = try await room(stack, owner: bob.token, members: [alice.id])
            let aliceSockets = [
                try await LiveSocket(port: stack.gatewayPort, token: alice.token), try await LiveSocket(port: second, token: alice.token),
            ]
            let bobSockets = [try await LiveSocket(port: stack.gatewayPort, token: bob.token), try await LiveSocket(port: second, token: bob.token)]
            let before = try await stack.gateway.sendMessage("before the logout", in: room, token: bob.token)
            for socket in aliceSockets { try await socket.waitFor("message_created") { ($0["message"] as? [String: Any])?["id"] as? String == before } }

            #expect(try await stack.gateway.call(.post, "/auth/logout", token: alice.token).status == .noContent)
            let after = try await stack.gateway.sendMessage("after the logout", in: room, token: bob.token)
            // Both gateways delivered it to bob: whatever was to reach alice's sockets has been decided.
            for socket in bobSockets { try await socket.waitFor("message_created") { ($0["message"] as? [String: Any])?["id"] as? String == after } }
            for socket in aliceSockets {
                let closed = try await socket.closedByServer()
                #expect(closed.code == 4001 && closed.reason == "session_ended")
                #expect(messageIDs(socket).contains(before) && !messageIDs(socket).contains(after), "nothing reaches a socket after its logout")
            }
            for socket in bobSockets { await socket.close() }
        }
    }

    @Test func aRevocationThePublishNeverBroughtIsFoundByTheSweep() async throws {
        let clock = TestClock()
        try await withStack(gatewaySettings: ["WS_SESSION_CHECK_SECONDS": "1"], gatewayClock: clock.wallClock) { stack in
            clock.set()
            let user = try await stack.gateway.register()
            let socket = try await LiveSocket(port: stack.gatewayPort, token: user.token)
            // Revoked in Redis as auth does, but with no message on the channel (as for a gateway
            // that was not subscribed when it went out).
            let sessionID = try #require(TokenPayload.claims(of: user.token)["sid"] as? String)
            let redis = RedisClient(settings: try await TestEnvironment.redisSettings())
            try await redis.send("SET", "auth:revoked-session:\(sessionID)", "1", "EX", "600")
            clock.advance(by: 1)
            let closed = try await socket.closedByServer()
            #expect(closed.code == 4001 && closed.reason == "session_ended")
        }
    }

    @Test func aSocketClosesWhenItsTokenExpires() async throws {
        let clock = TestClock()
        try await withStack(gatewaySettings: ["WS_SESSION_CHECK_SECONDS": "1"], gatewayClock: clock.wallClock) { stack in
            clock.set()
            let user = try await stack.gateway.register()
            let socket = try await LiveSocket(port: stack.gatewayPort, token: user.token)
            #expect(try await socket.request("join_room", ["room_id": UUID().uuidString])["type"] as? String == "error", "the socket answers")
            let expiry = try #require(TokenPayload.claims(of: user.token)["exp"] as? Double)
            clock.set(to: Date(timeIntervalSince1970: expiry + 1))
            let closed = try await socket.closedByServer()
            #expect(closed.code == 4001 && closed.reason == "session_ended")
        }
    }
}

/// The claims of a Parley access token, read without verifying it.
enum TokenPayload {
    static func claims(of token: String) -> [String: Any] {
        let parts = token.split(separator: ".")
        guard parts.count == 3 else { return [:] }
        var base64 = parts[1].replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        guard let data = Data(base64Encoded: base64) else { return [:] }
        return (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:]
    }
}
