import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct RateLimitTests {
    @Test func roomCreationIsLimitedPerUserUntilTheWindowPasses() async throws {
        let clock = TestClock()
        try await withRooms(clock: clock, settings: ["ROOM_CREATE_RATE_LIMIT": "3", "ROOM_CREATE_RATE_WINDOW_SECONDS": "60"]) { stack in
            let spammer = try await stack.register()
            let neighbour = try await stack.register()
            for index in 0..<2 { _ = try await stack.createRoom(spammer, name: "Room \(index)") }
            let direct = try await stack.call(.post, "/rooms", json: ["type": "direct", "user_id": neighbour.id], as: spammer)
            #expect(direct.status == .created, "a new direct room counts as a room")
            let refused = try await stack.call(.post, "/rooms", json: ["name": "One too many"], as: spammer)
            #expect(refused.status == .tooManyRequests && refused.errorCode == "rate_limited" && refused.headers[.retryAfter] != nil)
            let again = try await stack.call(.post, "/rooms", json: ["type": "direct", "user_id": neighbour.id], as: spammer)
            #expect(again.status == .ok, "opening an existing direct room creates nothing and is not refused")
            #expect(try await stack.call(.post, "/rooms", json: ["name": "Mine"], as: neighbour).status == .created, "the limit is per user")
            #expect((try await stack.call(.get, "/rooms", as: spammer)["rooms"] as? [Any])?.count == 3, "nothing was created")

            clock.advance(by: 61)
            let later = try await stack.login(spammer)
            #expect(try await stack.call(.post, "/rooms", json: ["name": "Later"], as: later).status == .created)
        }
    }

    @Test func invitesAndAdditionsShareOneLimitAndRefusedOnesGiveTheirSlotBack() async throws {
        try await withRooms(settings: ["INVITE_RATE_LIMIT": "3"]) { stack in
            let owner = try await stack.register()
            let troll = try await stack.register()
            let room = try await stack.createRoom(owner)
            #expect(try await stack.call(.post, "/rooms/\(room)/bans", json: ["user_id": troll.id], as: owner).status == .created)
            // Refused additions (nobody by that id, a banned user) use nothing up.
            for _ in 0..<3 {
                #expect(try await stack.call(.post, "/rooms/\(room)/members", json: ["user_id": UUID().uuidString], as: owner).status == .notFound)
                #expect(try await stack.call(.post, "/rooms/\(room)/members", json: ["user_id": troll.id], as: owner).errorCode == "banned")
            }
            for _ in 0..<2 { try await stack.addMember(try await stack.register(), to: room, by: owner) }
            #expect(try await stack.call(.post, "/rooms/\(room)/invites", as: owner).status == .created)
            let refusedAdd = try await stack.call(.post, "/rooms/\(room)/members", json: ["user_id": try await stack.register().id], as: owner)
            #expect(refusedAdd.status == .tooManyRequests && refusedAdd.headers[.retryAfter] != nil)
            let refusedInvite = try await stack.call(.post, "/rooms/\(room)/invites", json: ["max_uses": 1], as: owner)
            #expect(refusedInvite.status == .tooManyRequests)
            #expect(try await stack.memberIDs(room, as: owner).count == 3)
            #expect((try await stack.call(.get, "/rooms/\(room)/invites", as: owner)["invites"] as? [Any])?.count == 1)

            // Another room's owner has a budget of their own.
            let neighbour = try await stack.register()
            let theirs = try await stack.createRoom(neighbour)
            try await stack.addMember(try await stack.register(), to: theirs, by: neighbour)
        }
    }
}
