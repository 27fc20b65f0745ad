import Foundation
import HTTPTypes
import Testing
import ServiceKit
import TestSupport

@Suite struct ModerationTests {
    @Test func aMuteLastsItsDurationAndShowsToEveryone() async throws {
        let clock = TestClock()
        try await withRooms(clock: clock) { stack in
            let owner = try await stack.register()
            var member = try await stack.register()
            let room = try await stack.createRoom(owner)
            try await stack.addMember(member, to: room, by: owner)
            let muted = try await stack.call(.post, "/rooms/\(room)/members/\(member.id)/mute", json: ["duration_seconds": 600], as: owner)
            #expect(muted.status == .ok && muted["muted"] as? Bool == true)
            let until = try #require((muted["muted_until"] as? String).flatMap(Timestamp.parse))
            #expect(abs(until.timeIntervalSince(clock.now) - 600) < 1)
            #expect(!((try await stack.access(member, in: room))["allowed_actions"] as? [String] ?? []).contains("post"))
            let mutes = try await stack.call(.get, "/rooms/\(room)/mutes", as: owner)
            #expect((mutes["members"] as? [[String: Any]])?.count == 1)

            clock.advance(by: 601)
            member = try await stack.login(member)
            let access = try await stack.access(member, in: room)
            #expect(access["muted"] as? Bool == false && (access["allowed_actions"] as? [String] ?? []).contains("post"))
            #expect((try await stack.call(.get, "/rooms/\(room)/mutes", as: try await stack.login(owner))["members"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func aMuteWithoutDurationLastsUntilUnmuted() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let member = try await stack.register()
            let room = try await stack.createRoom(owner)
            try await stack.addMember(member, to: room, by: owner)
            let muted = try await stack.call(.post, "/rooms/\(room)/members/\(member.id)/mute", as: owner)
            #expect(muted["muted"] as? Bool == true && muted["muted_until"] is NSNull)
            #expect(try await stack.access(member, in: room)["muted"] as? Bool == true)
            let unmuted = try await stack.call(.delete, "/rooms/\(room)/members/\(member.id)/mute", as: owner)
            #expect(unmuted.status == .ok && unmuted["muted"] as? Bool == false)
            #expect(try await stack.call(.post, "/rooms/\(room)/members/\(member.id)/mute", json: ["duration_seconds": 0], as: owner).errorField == "duration_seconds")
        }
    }

    @Test func moderationOnlyActsDownwards() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let admin = try await stack.register()
            let otherAdmin = try await stack.register()
            let room = try await stack.createRoom(owner)
            for user in [admin, otherAdmin] {
                try await stack.addMember(user, to: room, by: owner)
                _ = try await stack.call(.patch, "/rooms/\(room)/members/\(user.id)/role", json: ["role": "admin"], as: owner)
            }
            for target in [owner, otherAdmin] {
                #expect(try await stack.call(.post, "/rooms/\(room)/members/\(target.id)/mute", as: admin).status == .forbidden)
                #expect(try await stack.call(.delete, "/rooms/\(room)/members/\(target.id)", as: admin).status == .forbidden)
                #expect(try await stack.call(.post, "/rooms/\(room)/bans", json: ["user_id": target.id], as: admin).status == .forbidden)
            }
            #expect(try await stack.call(.post, "/rooms/\(room)/bans", json: ["user_id": admin.id], as: owner).status == .created, "the owner outranks admins")
        }
    }

    @Test func aBanRemovesAndKeepsOutUntilLifted() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let troll = try await stack.register()
            let room = try await stack.createRoom(owner, type: "public")
            #expect(try await stack.call(.post, "/rooms/\(room)/join", as: troll).status == .ok)
            let ban = try await stack.call(.post, "/rooms/\(room)/bans", json: ["user_id": troll.id, "reason": "spam"], as: owner)
            #expect(ban.status == .created && ban["reason"] as? String == "spam" && (ban["user"] as? [String: Any])?["id"] as? String == troll.id)
            #expect(try await stack.memberIDs(room, as: owner) == [owner.id])
            let rejoin = try await stack.call(.post, "/rooms/\(room)/join", as: troll)
            #expect(rejoin.status == .forbidden && rejoin.errorCode == "banned")
            let readd = try await stack.call(.post, "/rooms/\(room)/members", json: ["user_id": troll.id], as: owner)
            #expect(readd.status == .forbidden && readd.errorCode == "banned")
            let bans = try await stack.call(.get, "/rooms/\(room)/bans", as: owner)
            #expect((bans["bans"] as? [[String: Any]])?.count == 1)
            #expect(try await stack.call(.delete, "/rooms/\(room)/bans/\(troll.id)", as: owner).status == .noContent)
            #expect(try await stack.call(.post, "/rooms/\(room)/join", as: troll).status == .ok)
            #expect(try await stack.call(.delete, "/rooms/\(room)/bans/\(troll.id)", as: owner).status == .notFound)
            #expect(try await stack.call(.post, "/rooms/\(room)/bans", json: ["user_id": owner.id], as: owner).errorField == "user_id")
        }
    }

    @Test func notificationLevelsDefaultByRoomTypeAndCanBeSet() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let room = try await stack.createRoom(owner)
            #expect(try await stack.access(owner, in: room)["notification_level"] as? String == "mentions")
            let set = try await stack.call(.put, "/rooms/\(room)/notifications", json: ["level": "muted"], as: owner)
            #expect(set.status == .ok && set["level"] as? String == "muted")
            #expect(try await stack.access(owner, in: room)["notification_level"] as? String == "muted")
            #expect(try await stack.call(.put, "/rooms/\(room)/notifications", json: ["level": "loud"], as: owner).errorField == "level")
        }
    }
}
