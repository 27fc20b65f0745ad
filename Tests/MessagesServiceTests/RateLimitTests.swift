import Foundation
import HTTPTypes
import Testing
import TestSupport

/// Sends and edits share one budget per user; reactions and reports have their own. An action
/// that fails after it was counted gives its slot back.
@Suite struct RateLimitTests {
    @Test func editsShareTheSendBudgetAndFailedSendsGiveTheirSlotsBack() async throws {
        // A clock that stands still while the test acts, however slow the machine.
        let clock = TestClock()
        try await withMessages(clock: clock.wallClock) { stack in
            clock.set()
            let room = try await RoomFixture.make(stack, memberCount: 0)
            // Counted, then refused (an attachment or a parent that is not there): more than the budget.
            let refusals: [(extra: [String: Any], field: String)] =
                Array(repeating: (["attachment_ids": [UUID().uuidString]], "attachment_ids"), count: 6)
                + Array(repeating: (["parent_id": UUID().uuidString], "parent_id"), count: 6)
            for (extra, field) in refusals {
                let refused = try await room.send("refused", as: room.owner, extra: extra)
                #expect(refused.status == .badRequest && refused.errorField == field)
            }
            let id = try #require(try await room.sent("draft 0", as: room.owner).id)
            for index in 1...5 {
                let edited = try await stack.messages.call(.put, "/messages/\(id)", json: ["content": "draft \(index)"], token: room.owner.token)
                #expect(edited.status == .ok)
            }
            for index in 1...4 { _ = try await room.sent("message \(index)", as: room.owner) }
            let send = try await room.send("one too many", as: room.owner)
            #expect(send.status == .tooManyRequests && send.errorCode == "rate_limited")
            let edit = try await stack.messages.call(.put, "/messages/\(id)", json: ["content": "one too many"], token: room.owner.token)
            #expect(edit.status == .tooManyRequests && edit.errorCode == "rate_limited" && edit.headers[.retryAfter] != nil)
            #expect(try await room.messages(as: room.owner).messages.first?["content"] as? String == "draft 5")
            clock.advance(by: 10)
            #expect(try await stack.messages.call(.put, "/messages/\(id)", json: ["content": "later"], token: room.owner.token).status == .ok)
        }
    }

    @Test func reactionsAndReportsHaveTheirOwnBudgets() async throws {
        let clock = TestClock()
        try await withMessages(settings: ["REACTION_RATE_LIMIT": "4", "REPORT_RATE_LIMIT": "2"], clock: clock.wallClock) { stack in
            clock.set()
            let room = try await RoomFixture.make(stack, memberCount: 1)
            let bob = room.members[0]
            var ids: [String] = []
            for index in 1...3 { ids.append(try #require(try await room.sent("message \(index)", as: room.owner).id)) }
            func react(_ emoji: String, on id: String) async throws -> APIReply {
                try await stack.messages.call(.post, "/messages/\(id)/reactions", json: ["emoji": emoji], token: bob.token)
            }
            func unreact(_ encodedEmoji: String, on id: String) async throws -> APIReply {
                try await stack.messages.call(.delete, "/messages/\(id)/reactions/\(encodedEmoji)", token: bob.token)
            }
            // Four counted changes; the refused repeat and removal in between give their slots back.
            #expect(try await react("👍", on: ids[0]).status == .created)
            #expect(try await react("👍", on: ids[0]).errorCode == "reaction_exists")
            #expect(try await react("🎉", on: ids[0]).status == .created)
            #expect(try await unreact("%F0%9F%91%8D", on: ids[0]).status == .noContent)
            #expect(try await unreact("%F0%9F%91%8D", on: ids[0]).status == .notFound)
            #expect(try await react("👍", on: ids[1]).status == .created)
            let fifth = try await react("👍", on: ids[2])
            #expect(fifth.status == .tooManyRequests && fifth.errorCode == "rate_limited" && fifth.headers[.retryAfter] != nil)
            #expect(try await unreact("%F0%9F%8E%89", on: ids[0]).status == .tooManyRequests)

            func report(_ id: String) async throws -> APIReply {
                try await stack.messages.call(.post, "/messages/\(id)/report", json: ["reason": "spam"], token: bob.token)
            }
            #expect(try await report(ids[0]).status == .created)
            #expect(try await report(ids[0]).errorCode == "already_reported")
            #expect(try await report(ids[1]).status == .created)
            let third = try await report(ids[2])
            #expect(third.status == .tooManyRequests && third.errorCode == "rate_limited")
            // Each budget is its own: bob still sends.
            #expect(try await room.send("still here", as: bob).status == .created)

            clock.advance(by: 60)
            #expect(try await react("👍", on: ids[2]).status == .created)
            #expect(try await report(ids[2]).status == .created)
        }
    }
}
