import Foundation
import HummingbirdTesting
import SearchService
import StackSupport
import Testing
import TestSupport

/// `search reindex` builds a new deployment's index from messages' export, and resumes.
@Suite struct ReindexTests {
    @Test func aNewIndexIsFilledFromMessagesAndAnInterruptedRunResumes() async throws {
        try await withStack { stack in
            let search = SearchFixture(stack: stack)
            let owner = try await stack.gateway.register()
            let member = try await stack.gateway.register()
            // Adding a member writes a system message, which is not indexed.
            let room = try await search.room(owner, members: [member])
            for index in 1...6 { try await search.send("rebuild item \(index)", in: room, as: owner) }
            let gone = try await search.send("rebuild item gone", in: room, as: owner)
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
