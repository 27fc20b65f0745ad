import Foundation
import Testing
import TestSupport

@Suite struct ReactionAndThreadTests {
    @Test func reactionsAreOnePerUserAndEmojiGroupedAndCounted() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack)
            let bob = room.members[0]
            let id = try #require(try await room.sent("react to me", as: room.owner).id)
            let path = "/messages/\(id)/reactions"

            let first = try await stack.messages.call(.post, path, json: ["emoji": "👍"], token: room.owner.token)
            #expect(first.status == .created)
            #expect((first["reactions"] as? [[String: Any]])?.first?["count"] as? Int == 1)
            let again = try await stack.messages.call(.post, path, json: ["emoji": "👍"], token: room.owner.token)
            #expect(again.status == .conflict && again.errorCode == "reaction_exists")
            #expect(try await stack.messages.call(.post, path, json: ["emoji": "👍"], token: bob.token).status == .created)
            #expect(try await stack.messages.call(.post, path, json: ["emoji": "🏳️‍🌈"], token: bob.token).status == .created)
            for bad in ["", "ab", "👍👍", "<b>", "1"] {
                let reply = try await stack.messages.call(.post, path, json: ["emoji": bad], token: bob.token)
                #expect(reply.status == .badRequest && reply.errorField == "emoji", "\(bad)")
            }

            let asOwner = try #require(try await room.messages(as: room.owner).messages.first?["reactions"] as? [[String: Any]])
            #expect(asOwner.map { $0["emoji"] as? String } == ["👍", "🏳️‍🌈"])
            #expect(asOwner.map { $0["count"] as? Int } == [2, 1])
            #expect(asOwner.map { $0["me"] as? Bool } == [true, false])

            let encoded = try #require("👍".addingPercentEncoding(withAllowedCharacters: .alphanumerics))
            #expect(try await stack.messages.call(.delete, "\(path)/\(encoded)", token: room.owner.token).status == .noContent)
            #expect(try await stack.messages.call(.delete, "\(path)/\(encoded)", token: room.owner.token).status == .notFound)
            let after = try #require(try await room.messages(as: room.owner).messages.first?["reactions"] as? [[String: Any]])
            #expect(after.map { $0["count"] as? Int } == [1, 1] && after.allSatisfy { $0["me"] as? Bool == false })
        }
    }

    @Test func repliesFormOneThreadUnderTheirRoot() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack)
            let bob = room.members[0]
            let root = try #require(try await room.sent("root", as: room.owner).id)
            let reply = try await room.sent("reply", as: bob, extra: ["parent_id": root])
            #expect(reply["parent_id"] as? String == root)
            // A reply to a reply joins the root's thread.
            let nested = try await room.sent("nested", as: room.owner, extra: ["parent_id": try #require(reply.id)])
            #expect(nested["parent_id"] as? String == root)

            let thread = try await stack.messages.call(.get, "/messages/\(try #require(nested.id))/thread", token: bob.token)
            #expect(thread.status == .ok)
            let threadRoot = try #require(thread["root"] as? [String: Any])
            #expect(threadRoot.id == root && threadRoot["reply_count"] as? Int == 2 && threadRoot["last_reply_at"] is String)
            #expect((thread["messages"] as? [[String: Any]])?.map(\.id) == [reply.id, nested.id])
            #expect(thread["has_more"] as? Bool == false)
            let firstPage = try await stack.messages.call(.get, "/messages/\(root)/thread?limit=1", token: bob.token)
            #expect((firstPage["messages"] as? [[String: Any]])?.map(\.id) == [nested.id] && firstPage["has_more"] as? Bool == true)

            // Deleting the root keeps its replies.
            #expect(try await stack.messages.call(.delete, "/messages/\(root)", token: room.owner.token).status == .noContent)
            let afterDelete = try await stack.messages.call(.get, "/messages/\(root)/thread", token: bob.token)
            #expect((afterDelete["root"] as? [String: Any])?["deleted"] as? Bool == true)
            #expect((afterDelete["messages"] as? [Any])?.count == 2)

            let otherRoom = try await RoomFixture.make(stack, memberCount: 0)
            let foreign = try await otherRoom.send("x", as: otherRoom.owner, extra: ["parent_id": root])
            #expect(foreign.status == .badRequest && foreign.errorField == "parent_id")
        }
    }
}
