import Foundation
import ServiceKit
import Testing
import TestSupport

@Suite struct RedisClientTests {
    func client(connections: Int = 2) async throws -> RedisClient {
        RedisClient(settings: try await TestEnvironment.redisSettings(), connections: connections)
    }

    @Test func setGetAndMissingKeys() async throws {
        let redis = try await client()
        let key = "test:\(UUID())"
        try await redis.send("SET", key, "héllo wörld")
        #expect(try await redis.send("GET", key).string == "héllo wörld")
        #expect(try await redis.send("GET", key + ":missing").isNull)
        #expect(try await redis.send("INCRBY", key + ":n", "5").int == 5)
    }

    /// Redis forgets scripts when it restarts or is flushed: a call by digest sends the script again.
    /// On a Redis of its own, so that the flush is not felt by the tests running beside it.
    @Test func aScriptRunsByItsDigestEvenAfterRedisForgotIt() async throws {
        let redis = RedisClient(settings: RedisSettings(host: "127.0.0.1", port: try await TestRedis.startPrivate([]), password: nil))
        let script = RedisScript("return redis.call('INCRBY', KEYS[1], ARGV[1]) -- \(UUID())")
        let key = "test:\(UUID())"
        #expect(try await redis.send(["EVALSHA", script.sha1, "1", key, "2"]).int == 2)
        try await redis.send("SCRIPT", "FLUSH")
        let replies = try await redis.pipeline([
            ["EVALSHA", script.sha1, "1", key, "3"], ["GET", key], ["EVALSHA", script.sha1, "1", key, "4"],
        ])
        #expect(replies.map(\.int) == [5, 2, 9], "the GET ran before the calls sent again")
        await #expect(throws: RedisError.self) { try await redis.send(["EVALSHA", String(repeating: "0", count: 40), "0"]) }
    }

    @Test func pipelinedRepliesComeBackInOrder() async throws {
        let redis = try await client()
        let key = "test:\(UUID())"
        let replies = try await redis.pipeline((0..<1000).map { ["RPUSH", key, String($0)] })
        #expect(replies.map(\.int) == (1...1000).map { $0 })
        let range = try await redis.send("LRANGE", key, "0", "-1")
        #expect(range.array?.compactMap(\.string) == (0..<1000).map(String.init))
    }

    @Test func concurrentCommandsOnSharedConnectionsStayMatched() async throws {
        let redis = try await client()
        let prefix = "test:\(UUID())"
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<200 {
                group.addTask {
                    try await redis.send("SET", "\(prefix):\(index)", "v\(index)")
                    let value = try await redis.send("GET", "\(prefix):\(index)").string
                    #expect(value == "v\(index)")
                }
            }
            try await group.waitForAll()
        }
    }

    @Test func errorRepliesAreThrownAndTheConnectionStaysUsable() async throws {
        let redis = try await client(connections: 1)
        let key = "test:\(UUID())"
        try await redis.send("SET", key, "text")
        await #expect(throws: RedisError.self) { try await redis.send("INCR", key) }
        let mixed = try await redis.pipeline([["INCR", key], ["GET", key]])
        if case .error = mixed[0] {} else { Issue.record("expected an error reply, got \(mixed[0])") }
        #expect(mixed[1].string == "text")
    }

    @Test func publishedMessagesReachSubscribers() async throws {
        let redis = try await client()
        let channel = "test:\(UUID())"
        let subscription = try await redis.subscribe(to: [channel])
        #expect(try await redis.send("PUBLISH", channel, "first").int == 1)
        try await redis.send("PUBLISH", channel, "second")
        let received = try await withTimeout(seconds: 10) {
            var received: [String] = []
            for await message in subscription.messages {
                #expect(message.channel == channel)
                received.append(message.payload)
                if received.count == 2 { break }
            }
            return received
        }
        #expect(received == ["first", "second"])
        await subscription.close()
    }

    @Test func stacksWithTheirOwnNamespacesDoNotHearEachOther() async throws {
        var settings = try await TestEnvironment.redisSettings()
        settings.namespace = "stack-a:"
        let first = RedisClient(settings: settings, connections: 1)
        settings.namespace = "stack-b:"
        let second = RedisClient(settings: settings, connections: 1)
        let channel = "test:events"
        let subscription = try await first.subscribe(to: [first.namespaced(channel)])
        #expect(try await second.send("PUBLISH", second.namespaced(channel), "elsewhere").int == 0, "nobody of stack b listens")
        #expect(try await first.send("PUBLISH", first.namespaced(channel), "here").int == 1)
        let heard = try await withTimeout(seconds: 10) { await subscription.messages.first { _ in true } }
        #expect(heard?.channel == "stack-a:test:events" && heard?.payload == "here")
        await subscription.close()
    }

    @Test func aKilledConnectionIsReplacedOnTheNextCommand() async throws {
        let redis = try await client(connections: 1)
        let id = try #require(try await redis.send("CLIENT", "ID").string)
        let killer = try await client(connections: 1)
        #expect(try await killer.send("CLIENT", "KILL", "ID", id).int == 1)
        // The first command may meet the dead connection; the client reconnects after it.
        _ = try? await redis.send("PING")
        #expect(try await redis.send("PING").string == "PONG")
    }
}
