import Foundation
import ServiceKit
import Testing
import TestSupport

/// The newest page of a room comes from Redis, and never shows a message older than it is.
@Suite struct RecentMessagesCacheTests {
    /// Rewrites a cached message's content straight in Redis, so a reply showing it came from
    /// the cache.
    private func tamper(room: String, message: String, content: String) async throws {
        let redis = RedisClient(settings: try await TestEnvironment.redisSettings(), connections: 1)
        let key = "messages:v2:recent:{\(room)}"
        let cached = try #require(try await redis.send("HGET", key, message).string)
        var entry = try #require(try JSONSerialization.jsonObject(with: Data(cached.utf8)) as? [String: Any])
        var row = try #require(entry["message"] as? [String: Any])
        row["content"] = content
        entry["message"] = row
        _ = try await redis.send("HSET", key, message, String(decoding: try JSONSerialization.data(withJSONObject: entry), as: UTF8.self))
    }

    @Test func theNewestPageComesFromTheCacheAndEveryChangeReachesIt() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack)
            let bob = room.members[0]
            let id = try #require(try await room.sent("original", as: room.owner).id)
            _ = try await room.messages(as: bob)
            try await tamper(room: room.id, message: id, content: "served from the cache")
            #expect(try await room.messages(as: bob).messages.first?["content"] as? String == "served from the cache")
            // Older pages still come from Postgres.
            let olderThanNext = try await room.messages(as: bob, query: "?after=\(UUID(uuid: (0, 0, 0, 0, 0, 0, 0x70, 0, 0x80, 0, 0, 0, 0, 0, 0, 0)))")
            #expect(olderThanNext.messages.first?["content"] as? String == "original")

            // Each change replaces the cached copy with its newer version.
            #expect(try await stack.messages.call(.put, "/messages/\(id)", json: ["content": "edited"], token: room.owner.token).status == .ok)
            #expect(try await room.messages(as: bob).messages.first?["content"] as? String == "edited")
            #expect(try await stack.messages.call(.post, "/messages/\(id)/reactions", json: ["emoji": "👀"], token: bob.token).status == .created)
            let reacted = try #require(try await room.messages(as: bob).messages.first)
            #expect((reacted["reactions"] as? [[String: Any]])?.first?["me"] as? Bool == true)
            #expect(try await stack.messages.call(.post, "/messages/\(id)/read", token: bob.token).status == .ok)
            #expect(try await room.messages(as: room.owner).messages.first?["read_count"] as? Int == 1)
            let reply = try #require(try await room.sent("a reply", as: bob, extra: ["parent_id": id]).id)
            let afterReply = try await room.messages(as: room.owner).messages
            #expect(afterReply.map(\.id) == [id, reply] && afterReply.first?["reply_count"] as? Int == 1)
            #expect(try await stack.messages.call(.delete, "/messages/\(id)", token: room.owner.token).status == .noContent)
            let deleted = try #require(try await room.messages(as: bob).messages.first)
            #expect(deleted["deleted"] as? Bool == true && deleted["content"] as? String == "[deleted]" && (deleted["reactions"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aLongHistoryKeepsItsNewestHundredAndPagesOnFromPostgres() async throws {
        try await withMessages(settings: ["SEND_RATE_LIMIT": "1000"]) { stack in
            let room = try await RoomFixture.make(stack, memberCount: 0)
            var sent: [String] = []
            for index in 0..<30 { sent.append(try #require(try await room.sent("early \(index)", as: room.owner).id)) }
            _ = try await room.messages(as: room.owner)  // cached now, complete
            for index in 0..<140 { sent.append(try #require(try await room.sent("late \(index)", as: room.owner).id)) }
            let newest = try await room.messages(as: room.owner, query: "?limit=100")
            #expect(newest.messages.map(\.id) == Array(sent.suffix(100)) && newest.hasMore)
            var all = newest.messages.compactMap(\.id)
            var more = newest.hasMore
            while more {
                let page = try await room.messages(as: room.owner, query: "?limit=100&before=\(all[0])")
                all = page.messages.compactMap(\.id) + all
                more = page.hasMore
            }
            #expect(all == sent)
        }
    }
}
