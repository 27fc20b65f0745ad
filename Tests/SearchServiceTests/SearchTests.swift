import Foundation
import Testing
import TestSupport

/// Search alone, fed with messages' events as its relay posts them (`SearchFixture`).
@Suite struct SearchTests {
    @Test func wordsPhrasesExclusionsAlternativesAndPrefixes() async throws {
        try await withSearch { search in
            let owner = try await search.register()
            let room = try await search.room(owner)
            for content in [
                "deploy the staging server today", "deploy to prod tomorrow", "draft: deploy plan for the staging server",
                "the quick brown fox", "release notes are out", "his do list", "do his part", "his own to-do, done",
            ] { try await search.send(content, in: room, as: owner) }
            try await search.expect("done", finds: 1, as: owner)

            #expect(Set(try await search.contents("deploy ", as: owner)).count == 3)
            #expect(try await search.contents(#""staging server" "#, as: owner).count == 2)
            #expect(try await search.contents("deploy -draft ", as: owner).sorted() == ["deploy the staging server today", "deploy to prod tomorrow"])
            #expect(try await search.contents("tomorrow or today ", as: owner).count == 2)
            #expect(try await search.contents("deploy tomorrow or plan ", as: owner).count == 2)
            // The word being typed matches as a prefix; once typed, as a word.
            #expect(try await search.contents("relea", as: owner) == ["release notes are out"])
            #expect(try await search.contents("relea ", as: owner).isEmpty)
            #expect(try await search.contents(#""server today" "#, as: owner) == ["deploy the staging server today"])
            // A phrase is its words in that order, next to each other (found through the pairs of
            // neighbouring words each message keeps), whatever the punctuation between them.
            #expect(try await search.contents(#""his do" "#, as: owner) == ["his do list"])
            #expect(try await search.contents(#""do his" "#, as: owner) == ["do his part"])
            #expect(try await search.contents(#""own to-do done" "#, as: owner) == ["his own to-do, done"])
            #expect(try await search.contents(#""his list" "#, as: owner).isEmpty)
            // Words in any case.
            #expect(try await search.contents("DEPLOY PROD ", as: owner) == ["deploy to prod tomorrow"])
            // A browser's form encoding: `+` for a space.
            let formEncoded = try await search.service.call(.get, "/search?q=deploy+prod+", token: owner.token)
            #expect((formEncoded["results"] as? [[String: Any]])?.count == 1)
        }
    }

    @Test func hyphensDotsLinksAddressesNumbersAndIdentifiersAreFindable() async throws {
        try await withSearch { search in
            let owner = try await search.register()
            let room = try await search.room(owner)
            let messages = [
                "a state-of-the-art build", "edit config.yaml first", "docs at https://docs.example.org/setup/linux now",
                "mail alice.smith@example.com please", "budget is 1,250,000 this year", "pi is 3.14", "call parseHTTPRequest here",
                "rename snake_case_name soon", "got ERR_CONN_RESET again", "version v1.2.3 shipped",
            ]
            for content in messages { try await search.send(content, in: room, as: owner) }
            try await search.expect("shipped", finds: 1, as: owner)
            let cases: [(String, String)] = [
                ("state-of-the-art ", messages[0]), ("art ", messages[0]), ("config.yaml ", messages[1]), ("yaml ", messages[1]),
                ("docs.example.org ", messages[2]), ("https://docs.example.org/setup/linux ", messages[2]), ("setup ", messages[2]),
                ("alice.smith@example.com ", messages[3]), ("example.com ", messages[3]), ("alice ", messages[3]),
                ("1,250,000 ", messages[4]), ("1250000 ", messages[4]), ("3.14 ", messages[5]),
                ("parseHTTPRequest ", messages[6]), ("http ", messages[6]), ("request ", messages[6]),
                ("snake_case_name ", messages[7]), ("case ", messages[7]), ("ERR_CONN_RESET ", messages[8]), ("conn ", messages[8]),
                ("v1.2.3 ", messages[9]),
            ]
            for (query, expected) in cases {
                #expect(try await search.contents(query, as: owner) == [expected], "\(query)")
            }
        }
    }

    @Test func highlightsMarkEveryHitAndEscapeTheRest() async throws {
        try await withSearch { search in
            let owner = try await search.register()
            let room = try await search.room(owner)
            try await search.send("<script>alert('x')</script> hello & welcome, hello again", in: room, as: owner)
            let long = (1...120).map { "filler\($0)" }.joined(separator: " ") + " needle " + (1...120).map { "tail\($0)" }.joined(separator: " ")
            try await search.send(long, in: room, as: owner)
            try await search.expect("needle ", finds: 1, as: owner)

            let reply = try await search.search([("q", "hello ")], as: owner)
            let highlight = try #require((reply["results"] as? [[String: Any]])?.first?["highlight"] as? String)
            #expect(highlight.contains("&lt;script&gt;") && !highlight.contains("<script"))
            #expect(highlight.components(separatedBy: "<mark>hello</mark>").count == 3, "\(highlight)")
            #expect(highlight.contains("&amp;"))
            // A long message is cut around its hit.
            let cut = try #require((try await search.search([("q", "needle ")], as: owner)["results"] as? [[String: Any]])?.first?["highlight"] as? String)
            #expect(cut.contains("<mark>needle</mark>"))
            #expect(cut.count < long.count / 3 && !cut.contains("filler1 "), "\(cut)")
        }
    }

    @Test func contextIsTheMessageBeforeAndAfterInTheRoom() async throws {
        try await withSearch { search in
            let owner = try await search.register()
            let room = try await search.room(owner)
            for content in ["alpha first", "bravo middle", "charlie last"] { try await search.send(content, in: room, as: owner) }
            try await search.expect("charlie ", finds: 1, as: owner)
            func context(_ q: String) async throws -> (String?, String?) {
                let result = try #require((try await search.search([("q", q)], as: owner)["results"] as? [[String: Any]])?.first)
                let context = try #require(result["context"] as? [String: Any])
                return ((context["before"] as? [String: Any])?["content"] as? String, (context["after"] as? [String: Any])?["content"] as? String)
            }
            #expect(try await context("alpha ") == (nil, "bravo middle"))
            #expect(try await context("bravo ") == ("alpha first", "charlie last"))
            #expect(try await context("charlie ") == ("bravo middle", nil))
        }
    }

    @Test func editsAndDeletesAreReflected() async throws {
        try await withSearch { search in
            let owner = try await search.register()
            let room = try await search.room(owner)
            let id = try await search.send("meeting on tuesday", in: room, as: owner)
            try await search.expect("tuesday ", finds: 1, as: owner)
            try await search.edit(id, to: "meeting on wednesday")
            try await search.expect("wednesday ", finds: 1, as: owner)
            #expect(try await search.contents("tuesday ", as: owner).isEmpty)
            try await search.delete(id)
            try await search.expect("wednesday ", finds: 0, as: owner)
        }
    }

    @Test func onlyTheCallersRoomsAreSearched() async throws {
        try await withSearch { search in
            let alice = try await search.register()
            let bob = try await search.register()
            let secret = try await search.room(alice)
            let open = try await search.room(alice)
            try await search.send("the secret plan", in: secret, as: alice)
            try await search.join(bob, open)
            try await search.send("the open plan", in: open, as: alice)
            try await search.expect("plan ", finds: 2, as: alice)
            try await search.expect("plan ", finds: 1, as: bob)
            #expect(try await search.contents("plan ", as: bob) == ["the open plan"])
            // A room the caller is not in is not found, as for an unknown room.
            #expect(try await search.search([("q", "plan"), ("room_id", secret)], as: bob).status == .notFound)
            #expect(try await search.search([("q", "plan in:\(secret)")], as: bob).status == .notFound)
            // Once bob leaves, the room's messages are gone from his results.
            try await search.leave(bob, open)
            try await search.expect("plan ", finds: 0, as: bob)
        }
    }

    /// Search caches each user's rooms; rooms moves the user's access epoch before it answers a
    /// removal or an addition (the fixture moves it here), which retires the cached list at once.
    @Test func aRemovedMembersVeryNextSearchNoLongerCoversTheRoom() async throws {
        try await withSearch { search in
            let alice = try await search.register()
            let bob = try await search.register()
            let room = try await search.room(alice, members: [bob])
            try await search.send("the quarterly numbers", in: room, as: alice)
            // Bob's searches find it, so search holds his room list in its cache.
            try await search.expect("quarterly ", finds: 1, as: bob)
            try await search.leave(bob, room)
            #expect(try await search.contents("quarterly ", as: bob).isEmpty)
            #expect(try await search.search([("q", "quarterly"), ("room_id", room)], as: bob).status == .notFound)
            // And a member added back finds it at once.
            try await search.join(bob, room)
            #expect(try await search.contents("quarterly ", as: bob) == ["the quarterly numbers"])
        }
    }

    @Test func queriesPostgresCannotStoreOrThatAreTooLongAreRefusedNamingQ() async throws {
        try await withSearch { search in
            let alice = try await search.register()
            let nul = try await search.service.call(.get, "/search?q=plan%00", token: alice.token)
            #expect(nul.status == .badRequest && nul.errorCode == "validation_failed" && nul.errorField == "q")
            let long = try await search.search([("q", String(repeating: "word ", count: 201))], as: alice)
            #expect(long.status == .badRequest && long.errorCode == "validation_failed" && long.errorField == "q")
            // A `from:` that cannot be a username matches nobody, without asking auth.
            let room = try await search.room(alice)
            try await search.send("plan for today", in: room, as: alice)
            try await search.expect("plan ", finds: 1, as: alice)
            #expect(try await search.contents("plan from:\(String(repeating: "x", count: 500)) ", as: alice).isEmpty)
            #expect(try await search.contents("plan from:\(alice.username) ", as: alice) == ["plan for today"])
        }
    }

    @Test func filtersAloneAndCombined() async throws {
        try await withSearch { search in
            let alice = try await search.register()
            let bob = try await search.register()
            let room = try await search.room(alice, members: [bob])
            let other = try await search.room(alice)
            let root = try await search.send("report draft with figures", in: room, as: alice)
            try await search.send("report link https://example.com/q3", in: room, as: bob)
            try await search.send("report reply in thread", in: room, as: bob, parent: root)
            try await search.send("report elsewhere", in: other, as: alice)
            try await search.send("report with the file", in: room, as: alice, attachments: 1)
            try await search.expect("report ", finds: 5, as: alice)

            #expect(try await search.contents("report ", [("room_id", room)], as: alice).count == 4)
            #expect(try await search.contents("report in:\(other) ", as: alice) == ["report elsewhere"])
            #expect(try await search.contents("report ", [("sender", bob.id)], as: alice).count == 2)
            #expect(try await search.contents("report from:\(bob.username) ", as: alice).count == 2)
            #expect(try await search.contents("report from:nobody_by_that_name ", as: alice).isEmpty)
            #expect(try await search.contents("report ", [("has", "links")], as: alice) == ["report link https://example.com/q3"])
            #expect(try await search.contents("report has:link ", as: alice) == ["report link https://example.com/q3"])
            #expect(try await search.contents("report has:attachment ", as: alice) == ["report with the file"])
            #expect(try await search.contents("report ", [("has", "attachments")], as: alice) == ["report with the file"])
            #expect(try await search.contents("report is:thread ", as: alice) == ["report reply in thread"])
            #expect(try await search.contents("report ", [("thread_id", root)], as: alice).count == 2)
            // Combined: bob's messages in the room with a link.
            #expect(try await search.contents("report from:\(bob.username) has:link in:\(room) ", as: alice).count == 1)
            // Dates: everything is from today.
            let formatter = DateFormatter()
            formatter.locale = Locale(identifier: "en_US_POSIX")
            formatter.timeZone = TimeZone(identifier: "UTC")
            formatter.dateFormat = "yyyy-MM-dd"
            let yesterday = formatter.string(from: Date().addingTimeInterval(-86_400))
            let tomorrow = formatter.string(from: Date().addingTimeInterval(86_400))
            #expect(try await search.contents("report after:\(yesterday) ", as: alice).count == 5)
            #expect(try await search.contents("report before:\(yesterday) ", as: alice).isEmpty)
            #expect(try await search.contents("report ", [("before", tomorrow), ("after", yesterday)], as: alice).count == 5)
            // Filters alone list what they match, newest first.
            #expect(try await search.contents("from:\(bob.username)", [("sort", "recent")], as: alice) == ["report reply in thread", "report link https://example.com/q3"])
            // Bad input is refused in API.md's shape.
            let bad = try await search.search([("q", "report"), ("after", "last tuesday")], as: alice)
            #expect(bad.status == .badRequest && bad.errorField == "after")
            #expect(try await search.search([("q", "")], as: alice).errorField == "q")
            #expect(try await search.search([("q", "x"), ("sort", "best")], as: alice).errorField == "sort")
        }
    }

    @Test func pagesAreStableInBothOrders() async throws {
        try await withSearch { search in
            let owner = try await search.register()
            let room = try await search.room(owner)
            for index in 1...25 {
                // Ranks differ: some messages say it twice.
                try await search.send(index % 3 == 0 ? "widget widget number \(index)" : "widget number \(index)", in: room, as: owner)
            }
            try await search.expect("widget ", finds: 25, as: owner)
            for sort in ["relevance", "recent"] {
                var seen: [String] = []
                var cursor: String?
                repeat {
                    var parameters = [("q", "widget "), ("limit", "10"), ("sort", sort)]
                    if let cursor { parameters.append(("cursor", cursor)) }
                    let page = try await search.search(parameters, as: owner)
                    let results = try #require(page["results"] as? [[String: Any]])
                    #expect(results.count <= 10)
                    seen += results.compactMap { ($0["message"] as? [String: Any])?["id"] as? String }
                    cursor = page["next_cursor"] as? String
                } while cursor != nil
                #expect(seen.count == 25 && Set(seen).count == 25, "\(sort)")
                if sort == "recent" { #expect(seen == seen.sorted(by: >)) }
            }
            // The twice-said ones rank first.
            let first = try await search.contents("widget ", [("limit", "8")], as: owner)
            #expect(first.allSatisfy { $0.hasPrefix("widget widget") })
        }
    }
}
