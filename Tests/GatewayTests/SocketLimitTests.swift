import Foundation
import ServiceKit
import Testing
import TestSupport

/// Issue 15, row 6: sockets per user are capped across gateways, client frames are rate-limited
/// per socket (a flood closes it), and typing indicators change at most once per 2 s.
@Suite struct SocketLimitTests {
    /// The answer to an upgrade request for `token` on `port`, up to the connection's close.
    static func upgrade(port: Int, token: String) async throws -> String {
        try await RawHTTP.exchange(port: port, StalledSocket.handshake(token: token))
    }

    @Test func theTwentyFirstSocketOfAUserIsRefusedAcrossGateways() async throws {
        try await withGateway(secondGateway: true) { stack in
            let user = try await stack.user()
            let second = try #require(stack.secondPort)
            var sockets: [LiveSocket] = []
            for index in 0..<20 {
                sockets.append(try await LiveSocket(port: index.isMultiple(of: 2) ? stack.port : second, token: user.token))
            }
            for port in [stack.port, second] {
                let refused = try await Self.upgrade(port: port, token: user.token)
                #expect(refused.hasPrefix("HTTP/1.1 429") && refused.contains(#""code":"too_many_connections""#), "\(refused)")
            }
            // Another user is not affected.
            let other = try await stack.user()
            let others = try await LiveSocket(port: stack.port, token: other.token)
            await others.close()

            // A closed socket makes room for a new one.
            await sockets.removeFirst().close()
            var admitted: LiveSocket?
            try await eventually("the closed socket still counts") {
                admitted = try? await LiveSocket(port: second, token: user.token)
                return admitted != nil
            }
            for socket in sockets + [admitted!] { await socket.close() }
        }
    }

    @Test func framesOverTheBudgetAreRefusedAndAFloodClosesTheSocket() async throws {
        // One frame a second after a burst of 20: the 30 frames below pass it however slowly they go out.
        try await withGateway(settings: ["WS_FRAME_RATE": "1", "WS_FRAME_BURST": "20"]) { stack in
            let user = try await stack.user()
            let socket = try await LiveSocket(port: stack.port, token: user.token)
            for index in 0..<30 { try socket.send("ping", ref: "p\(index)") }
            func refusals() -> [[String: Any]] {
                socket.received("error").filter { ($0["data"] as? [String: Any])?["code"] as? String == "rate_limited" }
            }
            try await eventually("not every frame was answered") { socket.received("pong").count + refusals().count == 30 }
            #expect(socket.received("pong").count >= 20, "the burst was handled")
            #expect(!refusals().isEmpty && refusals().allSatisfy { ($0["ref"] as? String)?.hasPrefix("p") == true }, "the rest refused, each with its ref")

            // A client that keeps sending is let go.
            for index in 0..<500 { try socket.send("ping", ref: "f\(index)") }
            let closed = try await socket.closedByServer()
            #expect(closed.code == 1008 && closed.reason == "too many frames")
            #expect(socket.received("pong").count + refusals().count < 530, "the socket closed before the flood ended")
        }
    }

    @Test func fiveHundredTypingFramesMakeAHandfulOfIndicators() async throws {
        // The frame budget is lifted here: this is about what typing sends on, not the budget.
        try await withGateway(settings: ["WS_FRAME_RATE": "100000", "WS_FRAME_BURST": "100000"]) { stack in
            let (owner, bob) = (try await stack.user(), try await stack.user())
            let room = try await stack.room(owner: owner, members: [bob]).apiString
            let ownerSocket = try await LiveSocket(port: stack.port, token: owner.token)
            let bobSocket = try await LiveSocket(port: stack.port, token: bob.token)
            #expect(try await bobSocket.request("join_room", ["room_id": room])["type"] as? String == "ack")

            let started = ContinuousClock.now
            for index in 0..<500 { try bobSocket.send(index.isMultiple(of: 2) ? "typing_start" : "typing_stop", ["room_id": room]) }
            // Frames are handled in order: this ack comes after all 500.
            #expect(try await bobSocket.request("join_room", ["room_id": room])["type"] as? String == "ack")
            let flipping = ContinuousClock.now - started
            try await ownerSocket.waitFor("user_typing") { $0["user_id"] as? String == bob.id && $0["typing"] as? Bool == false }
            let shown = ownerSocket.received("user_typing").compactMap { ($0["data"] as? [String: Any])?["typing"] as? Bool }
            // One change per 2 s at most: [true, false] when the 500 frames took less than 2 s to
            // handle, a change more for every further 2 s a slow machine took.
            let allowed = 2 + Int(flipping / .seconds(2))
            #expect(shown.first == true && shown.last == false && shown.count <= allowed, "\(shown) within \(flipping)")
            #expect(zip(shown, shown.dropFirst()).allSatisfy { $0 != $1 }, "changes alternate")

            // Sending still ends the indicator at once, whatever the interval.
            try await bobSocket.request("typing_start", ["room_id": room])
            try await ownerSocket.waitFor("user_typing", seconds: 5) { _ in ownerSocket.received("user_typing").count == shown.count + 1 }
            // Messages (the stand-in) accepts the message; the ack ends the indicator.
            try await bobSocket.request("send_message", ["room_id": room, "content": "typed"])
            #expect(stack.upstream.received("/rooms/\(room)/messages").count == 1)
            try await eventually { ownerSocket.received("user_typing").count == shown.count + 2 }
            #expect(ownerSocket.received("user_typing").compactMap { ($0["data"] as? [String: Any])?["typing"] as? Bool }.suffix(2) == [true, false])
            await ownerSocket.close()
            await bobSocket.close()
        }
    }
}
