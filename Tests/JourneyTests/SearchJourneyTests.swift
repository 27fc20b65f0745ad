import Foundation
import HummingbirdTesting
import SearchService
import StackSupport
import Testing
import TestSupport

/// Search with the services it depends on: rooms' answers about who is in a room, and messages'
/// export that fills a new index.
@Suite struct SearchJourneyTests {
    typealias User = (token: String, id: String, username: String)

    /// The contents `q` finds for `user`, through the gateway.
    static func contents(_ q: String, as user: User, stack: Stack) async throws -> [String] {
        let reply = try await stack.gateway.call(.get, "/search?q=\(q.addingPercentEncoding(withAllowedCharacters: .alphanumerics)!)", token: user.token)
        guard reply.status == .ok, let results = reply["results"] as? [[String: Any]] else { throw TestFailure("search \(q): \(reply.status)") }
        return results.compactMap { ($0["message"] as? [String: Any])?["content"] as? String }
    }

    /// A private room of `owner`'s with `members` added.
    static func room(_ owner: User, members: [User], stack: Stack) async throws -> String {
        let created = try await stack.gateway.call(.post, "/rooms", json: ["name": "Search room", "type": "private"], token: owner.token)
        let room = try #require(created["id"] as? String)
        for member in members {
            #expect(try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": member.id], token: owner.token).status == .created)
        }
        return room
    }

    @Test func aRemovedMembersVeryNextSearchNoLongerCoversTheRoom() async throws {
        // Rooms' events held back (sent where nothing listens): the change must hold without them.
        try await withStack(roomsSettings: ["EVENT_SUBSCRIBERS": "nowhere=http://127.0.0.1:1"]) { stack in
            let alice = try await stack.gateway.register()
            let bob = try await stack.gateway.register()
            let room = try await Self.room(alice, members: [bob], stack: stack)
            _ = try await stack.gateway.sendMessage("the quarterly numbers", in: room, token: alice.token)
            // Bob's searches find it, so search holds his room list in its cache.
            try await eventually("bob never found it") { try await Self.contents("quarterly ", as: bob, stack: stack).count == 1 }
            #expect(try await stack.gateway.call(.delete, "/rooms/\(room)/members/\(bob.id)", token: alice.token).status == .noContent)
            #expect(try await Self.contents("quarterly ", as: bob, stack: stack).isEmpty)
            // And a member added back finds it at once.
            #expect(try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": bob.id], token: alice.token).status == .created)
            #expect(try await Self.contents("quarterly ", as: bob, stack: stack) == ["the quarterly numbers"])
        }
    }

    /// `search reindex` builds a new deployment's index from messages' export, and resumes.
    @Test func aNewIndexIsFilledFromMessagesAndAnInterruptedRunResumes() async throws {
        try await withStack { stack in
            let owner = try await stack.gateway.register()
            let member = try await stack.gateway.register()
            // Adding a member writes a system message, which is not indexed.
            let room = try await Self.room(owner, members: [member], stack: stack)
            for index in 1...6 { _ = try await stack.gateway.sendMessage("rebuild item \(index)", in: room, token: owner.token) }
            let gone = try await stack.gateway.sendMessage("rebuild item gone", in: room, token: owner.token)
            #expect(try await stack.gateway.call(.delete, "/messages/\(gone)", token: owner.token).status == .noContent)

            let settings = SearchSettings(reader: TestEnvironment.reader(stack.sharedSettings.merging([
                // A schema of its own beside the live index: made by the cluster's superuser,
                // since search's own role may not create schemas.
                "POSTGRES_SCHEMA": "search_rebuild", "POSTGRES_USER": "parley", "MESSAGES_URL": try #require(stack.serviceURLs["messages"]), "HTTP_PORT": "0",
            ]) { $1 }))
            // Stopped after one page of four, then run again: it continues after the fourth.
            #expect(try await Reindexer.run(settings: settings, pageSize: 4, maxPages: 1) == 4)
            #expect(try await Reindexer.run(settings: settings, pageSize: 4) == 6)
            #expect(try await Reindexer.run(settings: settings, pageSize: 4) == 6, "nothing new: nothing more")

            let rebuilt = try await SearchService.buildApplication(settings: settings)
            try await rebuilt.test(.live) { client in
                let reply = try await client.call(.get, "/search?q=rebuild%20item%20&limit=50", token: owner.token)
                let contents = (reply["results"] as? [[String: Any]])?.compactMap { ($0["message"] as? [String: Any])?["content"] as? String }
                #expect(Set(contents ?? []) == Set((1...6).map { "rebuild item \($0)" }))
            }
        }
    }
}
