import Foundation
import HTTPTypes
import Testing
import ServiceKit
import TestSupport

@Suite struct InviteTests {
    static func invite(_ room: String, by admin: RoomsStack.User, _ body: [String: Any] = [:], in stack: RoomsStack) async throws -> String {
        let reply = try await stack.call(.post, "/rooms/\(room)/invites", json: body, as: admin)
        guard reply.status == .created, let code = reply["code"] as? String else { throw TestFailure("invite failed: \(reply.status)") }
        return code
    }

    @Test func anInviteLinkLetsSomeoneIntoAPrivateRoom() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let guest = try await stack.register()
            let room = try await stack.createRoom(owner, name: "Secret club")
            let created = try await stack.call(.post, "/rooms/\(room)/invites", json: [:], as: owner)
            let code = try #require(created["code"] as? String)
            #expect(code.count == 12 && code.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber) })
            #expect(created["max_uses"] is NSNull && created["uses"] as? Int == 0 && created["revoked"] as? Bool == false)
            let expires = try #require((created["expires_at"] as? String).flatMap(Timestamp.parse))
            #expect(abs(expires.timeIntervalSince(stack.clock.now) - 7 * 86400) < 1, "seven days by default")

            let preview = try await stack.call(.get, "/invites/\(code)", as: guest)
            #expect(preview.status == .ok && (preview["room"] as? [String: Any])?["name"] as? String == "Secret club")
            let joined = try await stack.call(.post, "/invites/\(code)/accept", as: guest)
            #expect(joined.status == .ok && joined["id"] as? String == room && joined["my_role"] as? String == "member")
            let again = try await stack.call(.post, "/invites/\(code)/accept", as: guest)
            #expect(again.status == .conflict && again.errorCode == "already_member")
            #expect(try await stack.call(.get, "/invites/\(code)", as: guest)["uses"] as? Int == 1, "a refused accept uses nothing")
            let listed = try await stack.call(.get, "/rooms/\(room)/invites", as: owner)
            #expect((listed["invites"] as? [[String: Any]])?.map { $0["code"] as? String } == [code])
        }
    }

    @Test func aSingleUseInviteAdmitsExactlyOneOfTwoConcurrentAccepts() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let room = try await stack.createRoom(owner)
            let code = try await Self.invite(room, by: owner, ["max_uses": 1], in: stack)
            let first = try await stack.register()
            let second = try await stack.register()
            let statuses = try await withThrowingTaskGroup(of: APIReply.self) { group in
                for user in [first, second] { group.addTask { try await stack.call(.post, "/invites/\(code)/accept", as: user) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(statuses.filter { $0.status == .ok }.count == 1)
            #expect(statuses.filter { $0.status == .gone && $0.errorCode == "invite_used_up" }.count == 1)
            #expect(try await stack.memberIDs(room, as: owner).count == 2)
        }
    }

    @Test func expiredAndRevokedInvitesAreRefusedClearly() async throws {
        let clock = TestClock()
        try await withRooms(clock: clock) { stack in
            let owner = try await stack.register()
            var guest = try await stack.register()
            let member = try await stack.register()
            let room = try await stack.createRoom(owner)
            try await stack.addMember(member, to: room, by: owner)
            let revoked = try await Self.invite(room, by: owner, in: stack)
            let denied = try await stack.call(.delete, "/invites/\(revoked)", as: member)
            #expect(denied.status == .forbidden, "only admins revoke")
            #expect(try await stack.call(.delete, "/invites/\(revoked)", as: owner).status == .noContent)
            let refused = try await stack.call(.post, "/invites/\(revoked)/accept", as: guest)
            #expect(refused.status == .gone && refused.errorCode == "invite_revoked")

            let short = try await Self.invite(room, by: owner, ["expires_in_seconds": 3600], in: stack)
            clock.advance(by: 3601)
            guest = try await stack.login(guest)
            let expired = try await stack.call(.post, "/invites/\(short)/accept", as: guest)
            #expect(expired.status == .gone && expired.errorCode == "invite_expired")
            #expect(try await stack.call(.get, "/invites/NOSUCHCODE00", as: guest).status == .notFound)
            #expect(try await stack.call(.post, "/invites/..%2F..%2Fx/accept", as: guest).status == .notFound)
            #expect(try await stack.call(.post, "/rooms/\(room)/invites", json: ["max_uses": 0], as: owner).errorField == "max_uses")
        }
    }

    @Test func aBannedUserCannotComeBackWithAnInvite() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let troll = try await stack.register()
            let room = try await stack.createRoom(owner)
            #expect(try await stack.call(.post, "/rooms/\(room)/bans", json: ["user_id": troll.id], as: owner).status == .created)
            let code = try await Self.invite(room, by: owner, in: stack)
            let refused = try await stack.call(.post, "/invites/\(code)/accept", as: troll)
            #expect(refused.status == .forbidden && refused.errorCode == "banned")
            #expect(try await stack.call(.get, "/invites/\(code)", as: owner)["uses"] as? Int == 0)
        }
    }
}
