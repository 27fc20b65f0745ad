import Foundation
import HTTPTypes
import ServiceKit
import Testing
import TestSupport

/// Sending, editing and deleting, with the rules on who may do what (messages alone: `MessagesStack`).
@Suite struct MessageTests {
    @Test func aMessageIsStoredWithEveryFieldAndEditedAndDeletedByItsSender() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack)
            let bob = room.members[0]
            let message = try await room.sent("**hi** @\(bob.username) and @nobody_here", as: room.owner)
            let keys: Set<String> = [
                "id", "room_id", "sender", "content", "content_html", "type", "parent_id", "client_id", "mention_ids", "created_at",
                "edited_at", "deleted", "attachments", "reactions", "read_count", "reply_count", "last_reply_at",
            ]
            #expect(keys.isSubset(of: Set(message.keys)))
            #expect(message["room_id"] as? String == room.id)
            #expect((message["sender"] as? [String: Any])?["username"] as? String == room.owner.username)
            #expect(message["content"] as? String == "**hi** @\(bob.username) and @nobody_here")
            #expect((message["content_html"] as? String)?.contains("<strong>hi</strong>") == true)
            #expect(message["type"] as? String == "text")
            #expect(message["mention_ids"] as? [String] == [bob.id])
            #expect(message["deleted"] as? Bool == false)
            #expect(message["edited_at"] is NSNull)
            let id = try #require(message.id)

            let listed = try await room.messages(as: bob)
            #expect(listed.messages.map(\.id) == [id])

            // Only the sender edits.
            let bobEdit = try await stack.messages.call(.put, "/messages/\(id)", json: ["content": "mine now"], token: bob.token)
            #expect(bobEdit.status == .forbidden && bobEdit.errorCode == "forbidden")
            let edited = try await stack.messages.call(.put, "/messages/\(id)", json: ["content": "edited _text_"], token: room.owner.token)
            #expect(edited.status == .ok)
            #expect(edited["content"] as? String == "edited _text_")
            #expect(edited["edited_at"] is String)
            #expect((edited["content_html"] as? String)?.contains("<em>text</em>") == true)
            #expect(edited["mention_ids"] as? [String] == [])

            // Only the sender (or an admin) deletes; deleting twice is fine.
            #expect(try await stack.messages.call(.delete, "/messages/\(id)", token: bob.token).status == .forbidden)
            #expect(try await stack.messages.call(.delete, "/messages/\(id)", token: room.owner.token).status == .noContent)
            #expect(try await stack.messages.call(.delete, "/messages/\(id)", token: room.owner.token).status == .noContent)
            let after = try #require(try await room.messages(as: bob).messages.first)
            #expect(after.id == id && after["deleted"] as? Bool == true && after["content"] as? String == "[deleted]")
            #expect(after["content_html"] as? String == "[deleted]")
            let editDeleted = try await stack.messages.call(.put, "/messages/\(id)", json: ["content": "back"], token: room.owner.token)
            #expect(editDeleted.status == .notFound)
        }
    }

    @Test func anAdminDeletesAnyoneElsesMessage() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack, memberCount: 2)
            let (bob, carol) = (room.members[0], room.members[1])
            let id = try #require(try await room.sent("spam", as: bob).id)
            #expect(try await stack.messages.call(.delete, "/messages/\(id)", token: carol.token).status == .forbidden)
            // Rooms moves carol's access epoch with her new role: messages' cached answer retires at once.
            try await stack.setRole("admin", of: carol, in: room.id)
            #expect(try await stack.messages.call(.delete, "/messages/\(id)", token: carol.token).status == .noContent)
            #expect(try await room.messages(as: bob).messages.first?["deleted"] as? Bool == true)
        }
    }

    @Test func badInputIsRefusedAndChangesNothing() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack, memberCount: 0)
            let cases: [([String: Any], String)] = [
                ([:], "content"),
                (["content": ""], "content"),
                (["content": "   \n "], "content"),
                (["content": String(repeating: "x", count: 10_001)], "content"),
                (["content": "hi", "client_id": String(repeating: "c", count: 101)], "client_id"),
                (["content": "hi", "parent_id": UUID().uuidString], "parent_id"),
                (["content": "hi", "attachment_ids": [UUID().uuidString]], "attachment_ids"),
            ]
            for (body, field) in cases {
                let reply = try await stack.messages.call(.post, "/rooms/\(room.id)/messages", json: body, token: room.owner.token)
                #expect(reply.status == .badRequest && reply.errorCode == "validation_failed" && reply.errorField == field, "\(field)")
            }
            let wrongType = try await stack.messages.call(.post, "/rooms/\(room.id)/messages", json: ["content": 5], token: room.owner.token)
            #expect(wrongType.status == .badRequest)
            let malformed = try await stack.messages.call(.post, "/rooms/\(room.id)/messages", rawBody: "{", token: room.owner.token)
            #expect(malformed.status == .badRequest && malformed.errorCode == "bad_request")
            #expect(try await room.sent(String(repeating: "x", count: 10_000), as: room.owner)["content"] as? String != nil)
            for query in ["?limit=0", "?limit=101", "?limit=x", "?before=nope", "?before=\(UUID())&after=\(UUID())"] {
                #expect(try await stack.messages.call(.get, "/rooms/\(room.id)/messages\(query)", token: room.owner.token).status == .badRequest, "\(query)")
            }
            #expect(try await room.messages(as: room.owner).messages.count == 1)
        }
    }

    @Test func onlyMembersReadAndOnlyUnmutedMembersPost() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack)
            let bob = room.members[0]
            let outsider = try await stack.register()
            let id = try #require(try await room.sent("members only", as: room.owner).id)

            // A private room and its messages do not exist for outsiders.
            #expect(try await stack.messages.call(.get, "/rooms/\(room.id)/messages", token: outsider.token).status == .notFound)
            #expect(try await room.send("let me in", as: outsider).status == .notFound)
            for path in ["/messages/\(id)/thread", "/messages/\(id)/receipts"] {
                #expect(try await stack.messages.call(.get, path, token: outsider.token).status == .notFound, "\(path)")
            }
            #expect(try await stack.messages.call(.put, "/messages/\(id)", json: ["content": "x"], token: outsider.token).status == .notFound)
            #expect(try await stack.messages.call(.delete, "/messages/\(id)", token: outsider.token).status == .notFound)
            #expect(try await stack.messages.call(.post, "/messages/\(id)/reactions", json: ["emoji": "👍"], token: outsider.token).status == .notFound)
            #expect(try await stack.messages.call(.get, "/rooms/\(room.id)/messages").status == .unauthorized)

            // A public room's outsiders are told to join.
            let lobby = try await RoomFixture.make(stack, type: "public", memberCount: 0)
            let notMember = try await stack.messages.call(.get, "/rooms/\(lobby.id)/messages", token: outsider.token)
            #expect(notMember.status == .forbidden && notMember.errorCode == "not_a_member")

            // A muted member reads but cannot post or react.
            try await stack.setMuted(true, bob, in: room.id)
            #expect(try await room.send("hello?", as: bob).errorCode == "muted")
            let react = try await stack.messages.call(.post, "/messages/\(id)/reactions", json: ["emoji": "👍"], token: bob.token)
            #expect(react.status == .forbidden && react.errorCode == "muted")
            #expect(try await room.messages(as: bob).messages.count == 1)
            try await stack.setMuted(false, bob, in: room.id)
            #expect(try await room.send("back", as: bob).status == .created)

            // Removed: the room is gone for them.
            try await stack.remove(bob, from: room.id, by: room.owner)
            #expect(try await stack.messages.call(.get, "/rooms/\(room.id)/messages", token: bob.token).status == .notFound)
        }
    }

    @Test func aBlockStopsADirectConversation() async throws {
        try await withMessages { stack in
            let alice = try await stack.register()
            let bob = try await stack.register()
            let room = try await stack.directRoom(alice, with: bob)
            let path = "/rooms/\(room)/messages"
            #expect(try await stack.messages.call(.post, path, json: ["content": "hi bob"], token: alice.token).status == .created)
            // Rooms moves both users' access epochs before it answers a block: it holds at once, both ways.
            try await stack.block(alice, by: bob)
            #expect(try await stack.messages.call(.post, path, json: ["content": "hello?"], token: alice.token).errorCode == "blocked")
            #expect(try await stack.messages.call(.post, path, json: ["content": "go away"], token: bob.token).errorCode == "blocked")
            // History stays readable.
            #expect((try await stack.messages.call(.get, path, token: bob.token)["messages"] as? [Any])?.count == 1)
            try await stack.block(alice, by: bob, blocking: false)
            #expect(try await stack.messages.call(.post, path, json: ["content": "sorry"], token: alice.token).status == .created)
        }
    }

    @Test func theEditWindowClosesAfterFifteenMinutes() async throws {
        let clock = TestClock()
        try await withMessages(clock: clock.wallClock) { stack in
            clock.set()
            let room = try await RoomFixture.make(stack, memberCount: 0)
            let id = try #require(try await room.sent("first draft", as: room.owner).id)
            clock.advance(by: 14 * 60)
            #expect(try await stack.messages.call(.put, "/messages/\(id)", json: ["content": "second draft"], token: room.owner.token).status == .ok)
            clock.advance(by: 61)
            let late = try await stack.messages.call(.put, "/messages/\(id)", json: ["content": "third draft"], token: room.owner.token)
            #expect(late.status == .forbidden && late.errorCode == "edit_window_closed")
            #expect(try await room.messages(as: room.owner).messages.first?["content"] as? String == "second draft")
        }
    }

    @Test func aRepeatedClientIDNeverDuplicatesEvenWhenSentTwiceAtOnce() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack, memberCount: 0)
            let replies = try await withThrowingTaskGroup(of: APIReply.self) { group in
                for _ in 0..<2 { group.addTask { try await room.send("once", as: room.owner, extra: ["client_id": "c-42"]) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == .created })
            #expect(Set(replies.compactMap { $0["id"] as? String }).count == 1)
            let again = try await room.sent("once", as: room.owner, extra: ["client_id": "c-42"])
            #expect(again.id == replies[0]["id"] as? String && again["client_id"] as? String == "c-42")
            #expect(try await room.messages(as: room.owner).messages.count == 1)
            // A client_id is the sender's within one room.
            let otherRoom = try await RoomFixture.make(stack, memberCount: 0)
            let elsewhere = try await stack.messages.call(
                .post, "/rooms/\(otherRoom.id)/messages", json: ["content": "once", "client_id": "c-42"], token: room.owner.token)
            #expect(elsewhere.status == .notFound)
            let ownRoom = try await stack.createRoom(type: "private", owner: room.owner)
            let fresh = try await stack.messages.call(
                .post, "/rooms/\(ownRoom)/messages", json: ["content": "once", "client_id": "c-42"], token: room.owner.token)
            #expect(fresh.status == .created && fresh["id"] as? String != again.id)
        }
    }

    @Test func theEleventhMessageInTenSecondsIsRateLimited() async throws {
        // A clock that stands still while the test sends, however slow the machine.
        let clock = TestClock()
        try await withMessages(clock: clock.wallClock) { stack in
            clock.set()
            let room = try await RoomFixture.make(stack, memberCount: 1)
            var tenth: String?
            for index in 1...10 { tenth = try await room.sent("message \(index)", as: room.owner, extra: ["client_id": "m-\(index)"]).id }
            let eleventh = try await room.send("one too many", as: room.owner)
            #expect(eleventh.status == .tooManyRequests && eleventh.errorCode == "rate_limited")
            // A client retrying a send that was stored gets it back, limit or not.
            let retried = try await room.send("message 10", as: room.owner, extra: ["client_id": "m-10"])
            #expect(retried.status.code < 300 && retried["id"] as? String == tenth)
            let retryAfter = try #require(eleventh.headers[.retryAfter].flatMap { Int($0) })
            #expect((1...10).contains(retryAfter))
            // The limit is the sender's own: others in the room still write.
            #expect(try await room.send("my turn", as: room.members[0]).status == .created)
            #expect(try await room.messages(as: room.owner).messages.count == 11)
            clock.advance(by: Double(retryAfter))
            #expect(try await room.send("later", as: room.owner).status == .created)
        }
    }

    @Test func markupAndScriptsInMessagesAreRenderedInert() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack, memberCount: 0)
            let payload = """
                <script>alert(1)</script> <img src=x onerror=alert(2)> [click](javascript:alert(3)) \
                [ok](https://example.com/a?b=1&c=2) "quoted" <a href="https://x" onclick="alert(4)">x</a>
                """
            let message = try await room.sent(payload, as: room.owner)
            #expect(message["content"] as? String == payload)
            let html = try #require(message["content_html"] as? String)
            // Every tag in the rendering is one the renderer makes; attribute-free except a
            // link's http(s)/mailto href. What the sender typed as HTML is text.
            let tags = html.matches(of: /<[^>]*>/).map { String($0.output) }
            #expect(!tags.isEmpty)
            for tag in tags { #expect(tag.wholeMatch(of: MarkupRules.allowedTag) != nil, "\(tag) in \(html)") }
            #expect(html.contains("&lt;script&gt;"))
            #expect(html.contains(#"<a href="https://example.com/a?b=1&amp;c=2""#))
        }
    }
}
