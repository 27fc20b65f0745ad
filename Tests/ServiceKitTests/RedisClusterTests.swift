import Foundation
import Testing
import TestSupport

@testable import ServiceKit

/// The client against a real three-node Redis Cluster (`TestRedisCluster`): keys spread over the
/// nodes, commands routed to the node of their slot, moved slots followed, scripts and pub/sub.
@Suite struct RedisClusterTests {
    func client(seeds: Int = 3) async throws -> RedisClient {
        let nodes = try await TestRedisCluster.shared.start().prefix(seeds).map { "127.0.0.1:\($0)" }
        return RedisClient(settings: RedisSettings(host: "127.0.0.1", port: 1, password: nil, clusterNodes: Array(nodes)))
    }

    /// Our slot of a key is the one Redis computes, hash tags included.
    @Test func keySlotsAreRedisOwn() async throws {
        let redis = try await client()
        for key in ["", "a", "user:1000", "{user1000}.following", "{user1000}.followers", "foo{}{bar}", "foo{{bar}}zap", "foo{bar}{zap}", "{}x", "héllo"] {
            #expect(RedisKeySlot.of(key) == (try await redis.send("CLUSTER", "KEYSLOT", key)).int, "\(key)")
        }
        #expect(RedisKeySlot.of("rooms:{123}:state") == RedisKeySlot.of("rooms:{123}:messages"))
    }

    /// One pipeline of commands for keys on every node comes back whole and in order; one
    /// configured node is enough to find the others.
    @Test func aPipelineSpansTheNodesInOrder() async throws {
        let redis = try await client(seeds: 1)
        let prefix = "test:\(UUID())"
        let keys = (0..<300).map { "\(prefix):\($0)" }
        #expect(Set(keys.map { RedisKeySlot.of($0) * 3 / RedisKeySlot.count }).count == 3, "the keys fall on all three nodes' slots")
        let written = try await redis.pipeline(keys.enumerated().map { ["SET", $1, "v\($0)"] })
        #expect(written.allSatisfy { $0.string == "OK" })
        let read = try await redis.pipeline(keys.map { ["GET", $0] })
        #expect(read.map(\.string) == (0..<300).map { "v\($0)" })
    }

    /// A map that says a slot is served by the wrong node is corrected by the node's `MOVED`.
    @Test func aMovedSlotIsFollowedAndLearned() async throws {
        let redis = try await client()
        let ports = try await TestRedisCluster.shared.start()
        let key = "test:\(UUID())"
        try await redis.send("SET", key, "here")
        let cluster = try #require(redis.cluster)
        let owner = try await cluster.map.node(for: RedisKeySlot.of(key))
        let wrong = try #require(ports.map { RedisNode(host: "127.0.0.1", port: $0) }.first { $0 != owner })
        await cluster.map.learn(slot: RedisKeySlot.of(key), servedBy: wrong)
        #expect(try await redis.send("GET", key).string == "here")
        #expect(try await cluster.map.node(for: RedisKeySlot.of(key)) == owner)
    }

    /// A script's keys share a hash tag, so a call runs on one node.
    @Test func scriptsRunOnTheNodeOfTheirKeys() async throws {
        let redis = try await client()
        let limiter = RateLimiter(redis: redis, prefix: "test:\(UUID())", limit: 2, window: 60)
        let now = Date()
        _ = try await limiter.acquire("someone", now: now)
        _ = try await limiter.acquire("someone", now: now)
        await #expect(throws: AppError.self) { _ = try await limiter.acquire("someone", now: now) }
        let script = RedisScript("redis.call('SET', KEYS[1], ARGV[1]); return redis.call('APPEND', KEYS[2], ARGV[1]) -- \(UUID())")
        let tag = "{\(UUID())}"
        #expect(try await redis.send(["EVALSHA", script.sha1, "2", "a:\(tag)", "b:\(tag)", "xy"]).int == 2)
    }

    /// A message published through one node reaches a subscriber on another.
    @Test func publishedMessagesCrossTheNodes() async throws {
        let ports = try await TestRedisCluster.shared.start()
        let subscriber = RedisClient(settings: RedisSettings(host: "127.0.0.1", port: ports[0], password: nil))
        let publisher = RedisClient(settings: RedisSettings(host: "127.0.0.1", port: ports[2], password: nil))
        let channel = "test:\(UUID())"
        let subscription = try await subscriber.subscribe(to: [channel])
        defer { Task { await subscription.close() } }
        try await publisher.send("PUBLISH", channel, "across")
        let received = try await withTimeout(seconds: 10) {
            var messages = subscription.messages.makeAsyncIterator()
            return await messages.next()?.payload
        }
        #expect(received == "across")
    }
}
