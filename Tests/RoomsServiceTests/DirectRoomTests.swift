import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct DirectRoomTests {
    @Test func aPairHasOneDirectRoomEvenWhenBothOpenItAtOnce() async throws {
        try await withRooms { stack in
            let alice = try await stack.register()
            let bob = try await stack.register()
            let replies = try await withThrowingTaskGroup(of: APIReply.self) { group in
                for index in 0..<8 {
                    let (me, peer) = index.isMultiple(of: 2) ? (alice, bob) : (bob, alice)
                    group.addTask { try await stack.call(.post, "/rooms", json: ["type": "direct", "user_id": peer.id], as: me) }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(replies.compactMap { $0["id"] as? String }).count == 1)
            #expect(replies.filter { $0.status == .created }.count == 1 && replies.filter { $0.status == .ok }.count == 7)
            let room = try #require(replies.first?["id"] as? String)
            #expect(try await stack.memberIDs(room, as: alice) == [alice.id, bob.id])
            let shown = try await stack.call(.get, "/rooms/\(room)", as: bob)
            #expect(shown["type"] as? String == "direct" && shown["notification_level"] as? String == "all" && shown["member_count"] as? Int == 2)
        }
    }

    @Test func aDirectRoomIsForTwoAndNothingElse() async throws {
        try await withRooms { stack in
            let alice = try await stack.register()
            let bob = try await stack.register()
            let carol = try await stack.register()
            let room = try #require(try await stack.call(.post, "/rooms", json: ["type": "direct", "user_id": bob.id], as: alice)["id"] as? String)
            #expect(try await stack.call(.post, "/rooms/\(room)/members", json: ["user_id": carol.id], as: alice).status == .forbidden)
            #expect(try await stack.call(.post, "/rooms/\(room)/invites", json: [:], as: alice).status == .forbidden)
            #expect(try await stack.call(.post, "/rooms/\(room)/leave", as: alice).status == .forbidden)
            #expect(try await stack.call(.get, "/rooms/\(room)", as: carol).status == .notFound)
            #expect(try await stack.call(.post, "/rooms/\(room)/join", as: carol).status == .notFound)
            let withSelf = try await stack.call(.post, "/rooms", json: ["type": "direct", "user_id": alice.id], as: alice)
            #expect(withSelf.status == .badRequest && withSelf.errorField == "user_id")
            #expect(try await stack.call(.post, "/rooms", json: ["type": "direct", "user_id": UUID().uuidString], as: alice).status == .notFound)
        }
    }

    @Test func blockingStopsDirectRoomsBothWaysUntilUnblocked() async throws {
        try await withRooms { stack in
            let alice = try await stack.register()
            let bob = try await stack.register()
            #expect(try await stack.call(.post, "/users/\(bob.id)/block", as: alice).status == .noContent)
            #expect(try await stack.call(.post, "/users/\(bob.id)/block", as: alice).status == .noContent, "blocking twice is harmless")
            for (me, peer) in [(bob, alice), (alice, bob)] {
                let refused = try await stack.call(.post, "/rooms", json: ["type": "direct", "user_id": peer.id], as: me)
                #expect(refused.status == .forbidden && refused.errorCode == "blocked")
            }
            let blocks = try await stack.call(.get, "/users/me/blocks", as: alice)
            let listed = try #require(blocks["blocks"] as? [[String: Any]])
            #expect(listed.count == 1 && (listed[0]["user"] as? [String: Any])?["username"] as? String == bob.username)
            #expect((try await stack.call(.get, "/users/me/blocks", as: bob)["blocks"] as? [Any])?.isEmpty == true)
            let pair = try await stack.rooms.call(.get, "/internal/blocks/\(alice.id)/\(bob.id)", token: TestEnvironment.serviceToken)
            #expect(pair["user_blocks_other"] as? Bool == true && pair["other_blocks_user"] as? Bool == false)

            #expect(try await stack.call(.delete, "/users/\(bob.id)/block", as: alice).status == .noContent)
            #expect(try await stack.call(.post, "/rooms", json: ["type": "direct", "user_id": alice.id], as: bob).status == .created)
            #expect(try await stack.call(.post, "/users/\(alice.id)/block", as: alice).errorField == "id")
            #expect(try await stack.call(.post, "/users/\(UUID())/block", as: alice).status == .notFound)
        }
    }
}
