import Foundation
import HTTPTypes
import ServiceKit
import Testing
import TestSupport

/// What an attacker or a careless client sends: text Postgres cannot store, bodies and queries of
/// any kind for rooms they cannot see, and long crafted markdown.
@Suite struct HostileInputTests {
    @Test func textPostgresCannotStoreIsRefusedWithItsField() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack, memberCount: 0)
            let id = try #require(try await room.sent("clean", as: room.owner).id)
            let token = room.owner.token
            let refusals: [(path: String, method: HTTPRequest.Method, body: String, field: String)] = [
                ("/rooms/\(room.id)/messages", .post, #"{"content":"a\u0000b"}"#, "content"),
                ("/rooms/\(room.id)/messages", .post, #"{"content":"a\ud800b"}"#, "content"),
                ("/rooms/\(room.id)/messages", .post, #"{"content":"\udc00"}"#, "content"),
                ("/rooms/\(room.id)/messages", .post, #"{"content":"hi","client_id":"c\u0000"}"#, "client_id"),
                ("/messages/\(id)", .put, #"{"content":"edit\u0000"}"#, "content"),
                ("/messages/\(id)", .put, #"{"content":"edit\ud83d"}"#, "content"),
                ("/messages/\(id)/report", .post, #"{"reason":"spam\u0000"}"#, "reason"),
                ("/messages/\(id)/reactions", .post, #"{"emoji":"\u0000"}"#, "emoji"),
                ("/messages/\(id)/reactions", .post, #"{"emoji":"\ud83d"}"#, "emoji"),
            ]
            for (path, method, body, field) in refusals {
                let reply = try await stack.messages.call(method, path, rawBody: body, token: token)
                #expect(reply.status == .badRequest && reply.errorCode == "validation_failed" && reply.errorField == field, "\(method) \(path) \(body): \(reply.errorField ?? "none")")
            }
            // A NUL in the path is no emoji either (the gateway does not even pass it on: PathGuard).
            let nul = try await stack.messages.call(.delete, "/messages/\(id)/reactions/%00", token: token)
            #expect(nul.status == .badRequest && nul.errorCode == "validation_failed" && nul.errorField == "emoji")

            // Nothing changed.
            let messages = try await room.messages(as: room.owner).messages
            #expect(messages.count == 1 && messages[0]["content"] as? String == "clean" && messages[0]["edited_at"] is NSNull)
            #expect((messages[0]["reactions"] as? [Any])?.isEmpty == true)
            #expect((try await stack.messages.call(.get, "/rooms/\(room.id)/reports", token: token)["reports"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func anUnknownOrInvisibleRoomIsNotFoundWhateverTheRequestHolds() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack, memberCount: 0)
            let messageID = try #require(try await room.sent("private", as: room.owner).id)
            let report = try await stack.messages.call(.post, "/messages/\(messageID)/report", json: ["reason": "test"], token: room.owner.token)
            let reportID = try #require(report["id"] as? String)
            let outsider = try await stack.register()
            // Malformed, unstorable, missing every field, and invalid.
            let bodies = ["{", #"{"content":"\u0000","emoji":"\u0000","reason":"\u0000"}"#, "{}", #"{"content":"","emoji":"x","reason":" "}"#]
            var requests: [(HTTPRequest.Method, String, String?)] = []
            for roomID in [UUID().uuidString, room.id] {
                for body in bodies {
                    requests += [(.post, "/rooms/\(roomID)/messages", body), (.post, "/rooms/\(roomID)/pins", body)]
                }
                for query in ["messages?limit=0", "messages?before=nope", "reports?status=bogus", "reports?cursor=!"] {
                    requests.append((.get, "/rooms/\(roomID)/\(query)", nil))
                }
            }
            for id in [UUID().uuidString, messageID] {
                for body in bodies {
                    requests += [(.put, "/messages/\(id)", body), (.post, "/messages/\(id)/reactions", body), (.post, "/messages/\(id)/report", body)]
                }
                requests += [(.get, "/messages/\(id)/thread?limit=0", nil), (.delete, "/messages/\(id)/reactions/not-an-emoji", nil)]
            }
            for id in [UUID().uuidString, reportID] {
                for body in bodies { requests.append((.patch, "/reports/\(id)", body)) }
            }
            for (method, path, body) in requests {
                let reply = try await stack.messages.call(method, path, rawBody: body, token: outsider.token)
                #expect(reply.status == .notFound, "\(method) \(path) \(body ?? "")")
            }
            // Who may see the room is told what is wrong with the request.
            let invalid = try await stack.messages.call(.post, "/rooms/\(room.id)/messages", rawBody: "{}", token: room.owner.token)
            #expect(invalid.status == .badRequest && invalid.errorField == "content")
            #expect(try await stack.messages.call(.get, "/rooms/\(room.id)/reports?status=bogus", token: room.owner.token).errorField == "status")
        }
    }

    @Test func longCraftedMarkdownIsRenderedWhole() async throws {
        try await withMessages { stack in
            let room = try await RoomFixture.make(stack, memberCount: 0)
            // 10,000 characters each: openers never closed, then pairs that all close.
            let unclosed = String(repeating: "**a ", count: 2_500)
            let sent = try await room.sent(unclosed, as: room.owner)
            #expect(sent["content_html"] as? String == unclosed)
            let id = try #require(sent.id)
            let edited = try await stack.messages.call(.put, "/messages/\(id)", json: ["content": String(repeating: "*a* ", count: 2_500)], token: room.owner.token)
            #expect(edited["content_html"] as? String == String(repeating: "<em>a</em> ", count: 2_500))
            let brackets = String(repeating: "[", count: 10_000)
            #expect(try await room.sent(brackets, as: room.owner)["content_html"] as? String == brackets)
        }
    }
}
