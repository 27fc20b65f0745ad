import Foundation
import StackSupport
import Testing
import TestSupport

/// Reading, as messages records it and rooms counts it: rooms keeps each member's unread count
/// from messages' `message_created` and `message_read`.
@Suite struct ReadingJourneyTests {
    @Test func readingMovesReceiptsAndUnreadCounts() async throws {
        try await withStack { stack in
            let room = try await RoomFixture.make(stack, memberCount: 2)
            let (bob, carol) = (room.members[0], room.members[1])
            var ids: [String] = []
            for index in 1...3 { ids.append(try #require(try await room.sent("news \(index)", as: room.owner).id)) }
            // A thread reply is followed in its thread: it never counts in the room.
            _ = try await room.sent("a reply", as: room.owner, extra: ["parent_id": ids[0]])

            func myRoom(_ user: RoomFixture.User) async throws -> [String: Any]? {
                let rooms = try await stack.gateway.call(.get, "/rooms", token: user.token)["rooms"] as? [[String: Any]]
                return rooms?.first { $0.id == room.id }
            }
            // System messages and thread replies never count; the sender has read what they wrote.
            try await eventually("bob's unread count never reached 3") { try await myRoom(bob)?["unread_count"] as? Int == 3 }
            #expect(try await myRoom(room.owner)?["unread_count"] as? Int == 0)
            #expect(try await myRoom(bob)?["last_message_at"] is String)

            let read = try await stack.gateway.call(.post, "/messages/\(ids[1])/read", token: bob.token)
            #expect(read.status == .ok && read["unread_count"] as? Int == 1 && read["last_read_id"] as? String == ids[1])
            try await eventually("bob's unread count never reached 1") { try await myRoom(bob)?["unread_count"] as? Int == 1 }
            // Reading an older message does not move the position back.
            let older = try await stack.gateway.call(.post, "/messages/\(ids[0])/read", token: bob.token)
            #expect(older["last_read_id"] as? String == ids[1] && older["unread_count"] as? Int == 1)

            let counts = try await room.messages(as: room.owner).messages.map { $0["read_count"] as? Int }
            #expect(counts == [1, 1, 0, 0], "the three news and the reply")
            let receipts = try await stack.gateway.call(.get, "/messages/\(ids[0])/receipts", token: room.owner.token)
            let readBy = try #require(receipts["read_by"] as? [[String: Any]])
            #expect(readBy.map { ($0["user"] as? [String: Any])?["id"] as? String } == [bob.id] && readBy[0]["read_at"] is String)
            // Only the sender and admins see who read it.
            #expect(try await stack.gateway.call(.get, "/messages/\(ids[0])/receipts", token: carol.token).status == .forbidden)

            // Writing reads everything before it.
            _ = try await room.sent("me too", as: bob)
            try await eventually("bob's unread count never cleared") { try await myRoom(bob)?["unread_count"] as? Int == 0 }
            #expect(try await myRoom(carol)?["unread_count"] as? Int == 4)
        }
    }
}
