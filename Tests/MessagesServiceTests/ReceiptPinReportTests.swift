import Foundation
import StackSupport
import Testing
import TestSupport

@Suite struct ReceiptPinReportTests {
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

    @Test func adminsPinAndEveryoneSeesThePins() async throws {
        try await withStack { stack in
            let room = try await RoomFixture.make(stack)
            let bob = room.members[0]
            let id = try #require(try await room.sent("important", as: bob).id)
            let pins = "/rooms/\(room.id)/pins"
            #expect(try await stack.gateway.call(.post, pins, json: ["message_id": id], token: bob.token).status == .forbidden)
            let pinned = try await stack.gateway.call(.post, pins, json: ["message_id": id], token: room.owner.token)
            #expect(pinned.status == .created && pinned["pinned_by"] as? String == room.owner.id)
            #expect(try await stack.gateway.call(.post, pins, json: ["message_id": id], token: room.owner.token).errorCode == "already_pinned")
            #expect(try await stack.gateway.call(.post, pins, json: ["message_id": UUID().uuidString], token: room.owner.token).status == .notFound)
            let listed = try #require(try await stack.gateway.call(.get, pins, token: bob.token)["messages"] as? [[String: Any]])
            #expect(listed.map(\.id) == [id] && listed[0]["pinned_at"] is String)
            #expect(try await stack.gateway.call(.delete, "\(pins)/\(id)", token: bob.token).status == .forbidden)
            #expect(try await stack.gateway.call(.delete, "\(pins)/\(id)", token: room.owner.token).status == .noContent)
            #expect(try await stack.gateway.call(.delete, "\(pins)/\(id)", token: room.owner.token).status == .notFound)
            #expect((try await stack.gateway.call(.get, pins, token: bob.token)["messages"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func reportsQueueForTheRoomsAdmins() async throws {
        try await withStack { stack in
            let room = try await RoomFixture.make(stack, memberCount: 2)
            let (bob, carol) = (room.members[0], room.members[1])
            let id = try #require(try await room.sent("rude words", as: carol).id)
            let report = try await stack.gateway.call(.post, "/messages/\(id)/report", json: ["reason": "rude"], token: bob.token)
            #expect(report.status == .created && report["status"] as? String == "open")
            #expect((report["reporter"] as? [String: Any])?["id"] as? String == bob.id)
            let reportID = try #require(report["id"] as? String)
            #expect(try await stack.gateway.call(.post, "/messages/\(id)/report", json: ["reason": "again"], token: bob.token).errorCode == "already_reported")
            #expect(try await stack.gateway.call(.post, "/messages/\(id)/report", json: ["reason": " "], token: bob.token).errorField == "reason")

            let queuePath = "/rooms/\(room.id)/reports"
            #expect(try await stack.gateway.call(.get, queuePath, token: bob.token).status == .forbidden)
            let queue = try await stack.gateway.call(.get, queuePath, token: room.owner.token)
            let open = try #require(queue["reports"] as? [[String: Any]])
            #expect(open.map(\.id) == [reportID] && (open[0]["message"] as? [String: Any])?.id == id)
            // Deleting the message does not hide what was reported.
            #expect(try await stack.gateway.call(.delete, "/messages/\(id)", token: carol.token).status == .noContent)
            let afterDelete = try #require((try await stack.gateway.call(.get, queuePath, token: room.owner.token)["reports"] as? [[String: Any]])?.first)
            #expect(afterDelete["reported_content"] as? String == "rude words")
            #expect((afterDelete["message"] as? [String: Any])?["deleted"] as? Bool == true)
            #expect(queue["next_cursor"] is NSNull)

            #expect(try await stack.gateway.call(.patch, "/reports/\(reportID)", json: ["status": "resolved"], token: bob.token).status == .forbidden)
            #expect(try await stack.gateway.call(.patch, "/reports/\(reportID)", json: ["status": "open"], token: room.owner.token).errorField == "status")
            let resolved = try await stack.gateway.call(.patch, "/reports/\(reportID)", json: ["status": "resolved"], token: room.owner.token)
            #expect(resolved.status == .ok && resolved["status"] as? String == "resolved" && resolved["reviewed_by"] as? String == room.owner.id)
            #expect((try await stack.gateway.call(.get, queuePath, token: room.owner.token)["reports"] as? [Any])?.isEmpty == true)
            #expect((try await stack.gateway.call(.get, "\(queuePath)?status=resolved", token: room.owner.token)["reports"] as? [Any])?.count == 1)
            let outsider = try await stack.gateway.register()
            #expect(try await stack.gateway.call(.patch, "/reports/\(reportID)", json: ["status": "dismissed"], token: outsider.token).status == .notFound)
        }
    }

    @Test func joinsAndLeavesAppearAsSystemMessages() async throws {
        try await withStack { stack in
            let room = try await RoomFixture.make(stack, type: "public", memberCount: 0)
            let guest = try await stack.gateway.register()
            #expect(try await stack.gateway.call(.post, "/rooms/\(room.id)/join", token: guest.token).status == .ok)
            #expect(try await stack.gateway.call(.post, "/rooms/\(room.id)/leave", token: guest.token).status == .noContent)
            try await eventually("the system messages never appeared") {
                try await room.messages(as: room.owner, includingSystem: true).messages.count == 2
            }
            let system = try await room.messages(as: room.owner, includingSystem: true).messages
            #expect(system.map { $0["content"] as? String } == ["\(guest.username) joined", "\(guest.username) left"])
            #expect(system.allSatisfy { $0["type"] as? String == "system" && $0["sender"] is NSNull })
        }
    }
}
