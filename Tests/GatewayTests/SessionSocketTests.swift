import Foundation
import NeighbourFakes
import ServiceKit
import Testing
import TestSupport

/// Issue 15, row 2: a socket belongs to its login session. Logout, any revocation and the token's
/// expiry close it (4001 `session_ended`), on every gateway, before anything more reaches it.
@Suite struct SessionSocketTests {
    private func messageIDs(_ socket: LiveSocket) -> [UUID] {
        socket.received("message_created").compactMap {
            ((($0["data"] as? [String: Any])?["message"] as? [String: Any])?["id"] as? String).flatMap(UUID.init(uuidString:))
        }
    }

    private func sessionID(of token: String) throws -> UUID {
        try #require((TokenPayload.claims(of: token)["sid"] as? String).flatMap(UUID.init(uuidString:)))
    }

    @Test func logoutClosesTheSessionsSocketsOnEveryGatewayBeforeAPrivateMessageSentAfterItArrives() async throws {
        try await withGateway(secondGateway: true) { edge in
            let (alice, bob) = (try await edge.user(), try await edge.user())
            let second = try #require(edge.secondPort)
            let room = try await edge.room(owner: bob, members: [alice])
            let aliceSockets = [try await LiveSocket(port: edge.port, token: alice.token), try await LiveSocket(port: second, token: alice.token)]
            let bobSockets = [try await LiveSocket(port: edge.port, token: bob.token), try await LiveSocket(port: second, token: bob.token)]
            let before = try await edge.send("before the logout", in: room, as: bob)
            for socket in aliceSockets { try await eventually { messageIDs(socket).contains(before) } }

            // Logged out: auth revokes the session in Redis and announces it.
            try await SessionRevocations(redis: edge.redis).revoke(sessionID: try sessionID(of: alice.token), until: Date().addingTimeInterval(3600), now: Date())
            let after = try await edge.send("after the logout", in: room, as: bob)
            // Both gateways delivered it to bob: whatever was to reach alice's sockets has been decided.
            for socket in bobSockets { try await eventually { messageIDs(socket).contains(after) } }
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
        try await withGateway(settings: ["WS_SESSION_CHECK_SECONDS": "1"], clock: clock.wallClock) { edge in
            clock.set()
            let user = try await edge.user()
            let socket = try await LiveSocket(port: edge.port, token: user.token)
            // Revoked in Redis as auth does, but with no message on the channel (as for a gateway
            // that was not subscribed when it went out).
            try await edge.redis.send("SET", "auth:revoked-session:\(try sessionID(of: user.token).apiString)", "1", "EX", "600")
            clock.advance(by: 1)
            let closed = try await socket.closedByServer()
            #expect(closed.code == 4001 && closed.reason == "session_ended")
        }
    }

    @Test func aSocketClosesWhenItsTokenExpires() async throws {
        let clock = TestClock()
        try await withGateway(settings: ["WS_SESSION_CHECK_SECONDS": "1"], clock: clock.wallClock) { edge in
            clock.set()
            let user = try await edge.user()
            let socket = try await LiveSocket(port: edge.port, token: user.token)
            #expect(try await socket.request("join_room", ["room_id": UUID().uuidString])["type"] as? String == "error", "the socket answers")
            let expiry = try #require(TokenPayload.claims(of: user.token)["exp"] as? Double)
            clock.set(to: Date(timeIntervalSince1970: expiry + 1))
            let closed = try await socket.closedByServer()
            #expect(closed.code == 4001 && closed.reason == "session_ended")
        }
    }
}
