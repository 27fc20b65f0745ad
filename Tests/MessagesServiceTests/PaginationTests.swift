import Foundation
import Testing
import TestSupport

/// `before` and `after` pages walk a room's history without gaps or repeats.
@Suite struct PaginationTests {
    @Test func pagesBothWaysCoverEveryMessageOnce() async throws {
        try await withMessages(settings: ["SEND_RATE_LIMIT": "1000"]) { stack in
            let room = try await RoomFixture.make(stack, memberCount: 0)
            var sent: [String] = []
            for index in 0..<23 { sent.append(try #require(try await room.sent("message \(index)", as: room.owner).id)) }
            let newest = try await room.messages(as: room.owner, query: "?limit=5")
            #expect(newest.messages.map(\.id) == Array(sent.suffix(5)) && newest.hasMore)

            // Backwards from the newest page, each page oldest first.
            var backwards = newest.messages.compactMap(\.id)
            var more = newest.hasMore
            while more {
                let page = try await room.messages(as: room.owner, query: "?limit=5&before=\(backwards[0])")
                backwards = page.messages.compactMap(\.id) + backwards
                more = page.hasMore
            }
            #expect(backwards == sent)

            // Forwards from the oldest.
            var forwards = [sent[0]]
            more = true
            while more {
                let page = try await room.messages(as: room.owner, query: "?limit=7&after=\(forwards.last!)")
                forwards += page.messages.compactMap(\.id)
                more = page.hasMore
            }
            #expect(forwards == sent)

            #expect(try await room.messages(as: room.owner, query: "?after=\(sent.last!)").messages.isEmpty)
            #expect(try await room.messages(as: room.owner).messages.count == 23)
            let all = try await room.messages(as: room.owner, query: "?limit=100")
            #expect(all.messages.count == 23 && !all.hasMore)
        }
    }
}
