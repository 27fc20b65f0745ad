import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct ProfileTests {
    @Test func anyoneSignedInCanReadAProfileByID() async throws {
        try await withAuthService { client in
            let alice = try await client.register()
            let bob = try await client.register()
            let reply = try await client.call(.get, "/users/\(alice.id)", token: bob.token)
            #expect(reply.status == .ok)
            #expect(reply["username"] as? String == alice.username)
            #expect(reply["totp_enabled"] == nil, "private fields only in /auth/me")
            #expect(try await client.call(.get, "/users/\(UUID())", token: bob.token).status == .notFound)
            #expect(try await client.call(.get, "/users/not-a-uuid", token: bob.token).status == .notFound)
        }
    }

    @Test func searchMatchesUsernameAndDisplayNamePrefixesAndPages() async throws {
        try await withAuthService { client in
            let tag = "zq" + UUID().uuidString.prefix(6).lowercased()
            var created: [String] = []
            for index in 0..<5 {
                created.append(try await client.register("\(tag)_\(index)").username)
            }
            let other = try await client.register()
            _ = try await client.call(.patch, "/users/me", json: ["display_name": "\(tag.uppercased()) Display"], token: other.token)

            var seen: [String] = []
            var cursor: String?
            repeat {
                let query = "/users/search?q=\(tag)&limit=2" + (cursor.map { "&cursor=\($0)" } ?? "")
                let page = try await client.call(.get, query, token: other.token)
                #expect(page.status == .ok)
                let users = try #require(page["users"] as? [[String: Any]])
                #expect(users.count <= 2)
                seen += users.compactMap { $0["username"] as? String }
                cursor = page["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == (created + [other.username]).sorted())

            let missingQ = try await client.call(.get, "/users/search", token: other.token)
            #expect(missingQ.status == .badRequest)
            #expect(missingQ.errorField == "q")
            let badLimit = try await client.call(.get, "/users/search?q=a&limit=1000", token: other.token)
            #expect(badLimit.errorField == "limit")
            let wildcard = try await client.call(.get, "/users/search?q=%25", token: other.token)
            #expect((wildcard["users"] as? [Any])?.isEmpty == true, "LIKE wildcards are literal")
        }
    }

    @Test func updatingTheProfileChangesOnlyTheGivenFields() async throws {
        try await withAuthService { client in
            let user = try await client.register()
            let reply = try await client.call(.patch, "/users/me", json: [
                "display_name": "New Name", "avatar_url": "https://example.com/a.png", "status": "busy", "status_message": "in a meeting",
            ], token: user.token)
            #expect(reply.status == .ok)
            #expect(reply["display_name"] as? String == "New Name")
            #expect(reply["avatar_url"] as? String == "https://example.com/a.png")
            #expect(reply["status"] as? String == "busy")
            #expect(reply["status_message"] as? String == "in a meeting")

            let partial = try await client.call(.patch, "/users/me", json: ["status": "away", "avatar_url": NSNull()], token: user.token)
            #expect(partial["display_name"] as? String == "New Name")
            #expect(partial["status"] as? String == "away")
            #expect(partial["avatar_url"] is NSNull)
            #expect(partial["status_message"] as? String == "in a meeting")
        }
    }

    @Test(arguments: [
        (["display_name": ""], "display_name"),
        (["display_name": String(repeating: "n", count: 51)], "display_name"),
        (["status_message": String(repeating: "m", count: 101)], "status_message"),
        (["avatar_url": "javascript:alert(1)"], "avatar_url"),
        (["avatar_url": "ftp://example.com/a.png"], "avatar_url"),
        (["status": "sleeping"], "status"),
    ])
    func invalidProfileChangesAreRejectedAndChangeNothing(change: [String: String], field: String) async throws {
        try await withAuthService { client in
            let user = try await client.register()
            let before = try await client.call(.get, "/auth/me", token: user.token)
            let reply = try await client.call(.patch, "/users/me", json: change.merging(["status": "busy"]) { old, _ in old }, token: user.token)
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "validation_failed")
            #expect(reply.errorField == field)
            let after = try await client.call(.get, "/auth/me", token: user.token)
            #expect(after["status"] as? String == before["status"] as? String)
        }
    }
}
