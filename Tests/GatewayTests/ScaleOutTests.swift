import Foundation
import ServiceKit
import Testing
import TestSupport

/// Several gateways behind a load balancer, and a client too slow to keep up. The gateway alone:
/// messages' events arrive as its relay posts them.
@Suite struct ScaleOutTests {
    /// Redis pub/sub keeps nothing for a subscriber that is away: once the gateway's subscription
    /// is back, each socket is told to fetch its rooms again (what was published meanwhile never
    /// reached it). On a Redis of the test's own, whose subscribers it cuts off.
    @Test func aLostBackplaneSubscriptionHasEverySocketRefetchItsRooms() async throws {
        let redisPort = try await TestRedis.startPrivate([])
        try await withGateway(settings: ["REDIS_PORT": String(redisPort)]) { edge in
            let owner = try await edge.user()
            let room = try await edge.room(owner: owner)
            let socket = try await LiveSocket(port: edge.port, token: owner.token)
            try await socket.ping()
            #expect(socket.received("refetch_required").isEmpty)
            let redis = RedisClient(settings: RedisSettings(host: "127.0.0.1", port: redisPort, password: nil), connections: 1)
            try await redis.send("CLIENT", "KILL", "TYPE", "pubsub")
            try await socket.waitFor("refetch_required", seconds: 15) { $0["room_id"] as? String == room.apiString }
            await socket.close()
        }
    }

    @Test func membersOnTwoGatewaysReceiveEveryEventExactlyOnce() async throws {
        try await withGateway(secondGateway: true) { edge in
            let (owner, bob) = (try await edge.user(), try await edge.user())
            let room = try await edge.room(owner: owner, members: [bob])
            let onFirst = try await LiveSocket(port: edge.port, token: owner.token)
            let onSecond = try await LiveSocket(port: try #require(edge.secondPort), token: bob.token)

            var sent: [UUID] = []
            for index in 1...5 { sent.append(try await edge.send("m\(index)", in: room, as: owner)) }
            #expect(try await onSecond.request("join_room", ["room_id": room.apiString])["type"] as? String == "ack")
            #expect(try await onSecond.request("typing_start", ["room_id": room.apiString])["type"] as? String == "ack")
            try await onFirst.waitFor("user_typing") { $0["user_id"] as? String == bob.id }
            for socket in [onFirst, onSecond] {
                try await eventually("a gateway missed messages") { messageIDs(socket).count >= sent.count }
            }
            // A copy would come no later than a message sent after them all.
            let last = try await edge.send("last", in: room, as: owner)
            sent.append(last)
            for socket in [onFirst, onSecond] {
                try await eventually("a gateway missed the last message") { messageIDs(socket).contains(last) }
                #expect(messageIDs(socket) == sent)
            }
            await onFirst.close()
            await onSecond.close()
        }
    }

    @Test func aClientThatNeverReadsIsCutOffWhileOthersKeepReceiving() async throws {
        try await withGateway(settings: ["WS_QUEUE_FRAMES": "128", "WS_PING_SECONDS": "600"]) { edge in
            let (owner, bob) = (try await edge.user(), try await edge.user())
            let room = try await edge.room(owner: owner, members: [bob])
            let watcher = try await LiveSocket(port: edge.port, token: owner.token)
            let stalled = try StalledSocket(port: edge.port, token: bob.token)
            // Bob is online once his socket is registered and has loaded his rooms.
            try await watcher.waitFor("presence_updated") { $0["user_id"] as? String == bob.id && $0["status"] as? String == "online" }

            let bulk = String(repeating: "x", count: 9_990)
            guard let sender = try await edge.users.user(GatewayFixture.id(owner)) else { throw TestFailure("no sender") }
            // Well past what the queue (128 frames) and the socket buffers hold, in the relay's
            // batches of 100.
            let count = 600
            for batch in stride(from: 0, to: count, by: 100) {
                try await edge.deliver(try (batch..<batch + 100).map { index in try edge.messages.created("\(index) \(bulk)", in: room, by: sender).event })
            }
            try await eventually(seconds: 30, "the watcher got \(messageIDs(watcher).count) of \(count), then \(watcher.received("error"))") {
                messageIDs(watcher).count == count
            }
            // The close frame saying "too slow" waits behind what the client never read, so the
            // connection is closed (after the close timeout) without it reaching a client this stuck.
            let received = try #require(stalled.drainUntilClosed(seconds: 20), "the stalled client was never disconnected")
            #expect(received.count < count * bulk.utf8.count, "the stalled client was sent everything")
            await watcher.close()
        }
    }
}

/// The ids of the messages a socket received, in order.
private func messageIDs(_ socket: LiveSocket) -> [UUID] {
    socket.received("message_created").compactMap { frame in
        (((frame["data"] as? [String: Any])?["message"] as? [String: Any])?["id"] as? String).flatMap(UUID.init(uuidString:))
    }
}
