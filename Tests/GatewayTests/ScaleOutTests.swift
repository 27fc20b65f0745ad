import Foundation
import ServiceKit
import StackSupport
import Testing
import TestSupport

/// Several gateways behind a load balancer, and a client too slow to keep up.
@Suite struct ScaleOutTests {
    /// Redis pub/sub keeps nothing for a subscriber that is away: once the gateway's subscription
    /// is back, each socket is told to fetch its rooms again (what was published meanwhile never
    /// reached it). On a Redis of the test's own, whose subscribers it cuts off.
    @Test func aLostBackplaneSubscriptionHasEverySocketRefetchItsRooms() async throws {
        let redisPort = try await TestRedis.startPrivate([])
        try await withStack(privateRedis: redisPort) { stack in
            let owner = try await stack.gateway.register()
            let room = try #require(try await stack.gateway.call(.post, "/rooms", json: ["name": "Blip", "type": "private"], token: owner.token)["id"] as? String)
            let socket = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            try await socket.ping()
            #expect(socket.received("refetch_required").isEmpty)
            let redis = RedisClient(settings: RedisSettings(host: "127.0.0.1", port: redisPort, password: nil), connections: 1)
            try await redis.send("CLIENT", "KILL", "TYPE", "pubsub")
            try await socket.waitFor("refetch_required", seconds: 15) { $0["room_id"] as? String == room }
            await socket.close()
        }
    }

    @Test func membersOnTwoGatewaysReceiveEveryEventExactlyOnce() async throws {
        try await withStack(secondGateway: true) { stack in
            let owner = try await stack.gateway.register()
            let bob = try await stack.gateway.register()
            let room = try #require(try await stack.gateway.call(.post, "/rooms", json: ["name": "Two", "type": "private"], token: owner.token)["id"] as? String)
            _ = try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": bob.id], token: owner.token)
            let onFirst = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            let onSecond = try await LiveSocket(port: try #require(stack.secondGatewayPort), token: bob.token)

            var sent: [String] = []
            for index in 1...5 {
                sent.append(try #require(try await stack.gateway.call(.post, "/rooms/\(room)/messages", json: ["content": "m\(index)"], token: owner.token)["id"] as? String))
            }
            #expect(try await onSecond.request("join_room", ["room_id": room])["type"] as? String == "ack")
            #expect(try await onSecond.request("typing_start", ["room_id": room])["type"] as? String == "ack")
            try await onFirst.waitFor("user_typing") { $0["user_id"] as? String == bob.id }
            for socket in [onFirst, onSecond] {
                try await eventually("a gateway missed messages") { textMessageIDs(socket).count >= sent.count }
            }
            // A copy would come no later than a message sent after them all.
            let last = try #require(try await stack.gateway.call(.post, "/rooms/\(room)/messages", json: ["content": "last"], token: owner.token)["id"] as? String)
            sent.append(last)
            for socket in [onFirst, onSecond] {
                try await eventually("a gateway missed the last message") { textMessageIDs(socket).contains(last) }
                #expect(textMessageIDs(socket) == sent)
            }
            await onFirst.close()
            await onSecond.close()
        }
    }

    @Test func aClientThatNeverReadsIsCutOffWhileOthersKeepReceiving() async throws {
        try await withStack(gatewaySettings: ["WS_QUEUE_FRAMES": "128", "WS_PING_SECONDS": "600"], messagesSettings: ["SEND_RATE_LIMIT": "100000"]) { stack in
            let owner = try await stack.gateway.register()
            let bob = try await stack.gateway.register()
            let room = try #require(try await stack.gateway.call(.post, "/rooms", json: ["name": "Busy", "type": "private"], token: owner.token)["id"] as? String)
            _ = try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": bob.id], token: owner.token)
            let watcher = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            let stalled = try StalledSocket(port: stack.gatewayPort, token: bob.token)
            // Bob is online once his socket is registered and has loaded his rooms.
            try await watcher.waitFor("presence_updated") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "online" }

            let bulk = String(repeating: "x", count: 9_990)
            // Well past what the queue (128 frames, above a relay batch of 100) and the socket buffers hold.
            let count = 600
            for index in 0..<count {
                let reply = try await stack.gateway.call(.post, "/rooms/\(room)/messages", json: ["content": "\(index) \(bulk)"], token: owner.token)
                #expect(reply.status == .created)
            }
            try await eventually(seconds: 30, "the watcher got \(textMessageIDs(watcher).count) of \(count), then \(watcher.received("error"))") {
                textMessageIDs(watcher).count == count
            }
            // The close frame saying "too slow" waits behind what the client never read, so the
            // connection is closed (after the close timeout) without it reaching a client this stuck.
            let received = try #require(stalled.drainUntilClosed(seconds: 20), "the stalled client was never disconnected")
            #expect(received.count < count * bulk.utf8.count, "the stalled client was sent everything")
            await watcher.close()
        }
    }
}

/// The ids of the messages (not system ones) a socket received, in order.
private func textMessageIDs(_ socket: LiveSocket) -> [String] {
    socket.received("message_created").compactMap { frame -> String? in
        guard let message = (frame["data"] as? [String: Any])?["message"] as? [String: Any], message["type"] as? String != "system" else { return nil }
        return message["id"] as? String
    }
}
