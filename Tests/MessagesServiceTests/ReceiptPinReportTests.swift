import Foundation
import Testing
import TestSupport

@Suite struct ReceiptPinReportTests {
    @Test func adminsPinAndEveryoneSeesThePins() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack)
            let bob = room.members[0]
            let id = try #require(try await room.sent("important", as: bob).id)
            let pins = "/rooms/\(room.id)/pins"
            #expect(try await stack.messages.call(.post, pins, json: ["message_id": id], token: bob.token).status == .forbidden)
            let pinned = try await stack.messages.call(.post, pins, json: ["message_id": id], token: room.owner.token)
            #expect(pinned.status == .created && pinned["pinned_by"] as? String == room.owner.id)
            #expect(try await stack.messages.call(.post, pins, json: ["message_id": id], token: room.owner.token).errorCode == "already_pinned")
            #expect(try await stack.messages.call(.post, pins, json: ["message_id": UUID().uuidString], token: room.owner.token).status == .notFound)
            let listed = try #require(try await stack.messages.call(.get, pins, token: bob.token)["messages"] as? [[String: Any]])
            #expect(listed.map(\.id) == [id] && listed[0]["pinned_at"] is String)
            #expect(try await stack.messages.call(.delete, "\(pins)/\(id)", token: bob.token).status == .forbidden)
            #expect(try await stack.messages.call(.delete, "\(pins)/\(id)", token: room.owner.token).status == .noContent)
            #expect(try await stack.messages.call(.delete, "\(pins)/\(id)", token: room.owner.token).status == .notFound)
            #expect((try await stack.messages.call(.get, pins, token: bob.token)["messages"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func reportsQueueForTheRoomsAdmins() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack, memberCount: 2)
            let (bob, carol) = (room.members[0], room.members[1])
            let id = try #require(try await room.sent("rude words", as: carol).id)
            let report = try await stack.messages.call(.post, "/messages/\(id)/report", json: ["reason": "rude"], token: bob.token)
            #expect(report.status == .created && report["status"] as? String == "open")
            #expect((report["reporter"] as? [String: Any])?["id"] as? String == bob.id)
            let reportID = try #require(report["id"] as? String)
            #expect(try await stack.messages.call(.post, "/messages/\(id)/report", json: ["reason": "again"], token: bob.token).errorCode == "already_reported")
            #expect(try await stack.messages.call(.post, "/messages/\(id)/report", json: ["reason": " "], token: bob.token).errorField == "reason")

            let queuePath = "/rooms/\(room.id)/reports"
            #expect(try await stack.messages.call(.get, queuePath, token: bob.token).status == .forbidden)
            let queue = try await stack.messages.call(.get, queuePath, token: room.owner.token)
            let open = try #require(queue["reports"] as? [[String: Any]])
            #expect(open.map(\.id) == [reportID] && (open[0]["message"] as? [String: Any])?.id == id)
            // Deleting the message does not hide what was reported.
            #expect(try await stack.messages.call(.delete, "/messages/\(id)", token: carol.token).status == .noContent)
            let afterDelete = try #require((try await stack.messages.call(.get, queuePath, token: room.owner.token)["reports"] as? [[String: Any]])?.first)
            #expect(afterDelete["reported_content"] as? String == "rude words")
            #expect((afterDelete["message"] as? [String: Any])?["deleted"] as? Bool == true)
            #expect(queue["next_cursor"] is NSNull)

            #expect(try await stack.messages.call(.patch, "/reports/\(reportID)", json: ["status": "resolved"], token: bob.token).status == .forbidden)
            #expect(try await stack.messages.call(.patch, "/reports/\(reportID)", json: ["status": "open"], token: room.owner.token).errorField == "status")
            let resolved = try await stack.messages.call(.patch, "/reports/\(reportID)", json: ["status": "resolved"], token: room.owner.token)
            #expect(resolved.status == .ok && resolved["status"] as? String == "resolved" && resolved["reviewed_by"] as? String == room.owner.id)
            #expect((try await stack.messages.call(.get, queuePath, token: room.owner.token)["reports"] as? [Any])?.isEmpty == true)
            #expect((try await stack.messages.call(.get, "\(queuePath)?status=resolved", token: room.owner.token)["reports"] as? [Any])?.count == 1)
            let outsider = try await stack.register()
            #expect(try await stack.messages.call(.patch, "/reports/\(reportID)", json: ["status": "dismissed"], token: outsider.token).status == .notFound)
        }
    }

    @Test func joinsAndLeavesAppearAsSystemMessages() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack, type: "public", memberCount: 0)
            let guest = try await stack.register()
            // Rooms' member_joined and member_left, as its relay posts them.
            try await stack.join(guest, room.id)
            try await stack.leave(guest, room.id)
            let system = try await room.messages(as: room.owner, includingSystem: true).messages
            #expect(system.map { $0["content"] as? String } == ["\(guest.username) joined", "\(guest.username) left"])
            #expect(system.allSatisfy { $0["type"] as? String == "system" && $0["sender"] is NSNull })
        }
    }
}
