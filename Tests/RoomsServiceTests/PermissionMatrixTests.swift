import Foundation
import HTTPTypes
import Testing
import TestSupport

/// Every role against every room action, on a private room: who may, and what everyone else sees
/// (404 for those who may not know the room exists, 403 for members without the right).
@Suite struct PermissionMatrixTests {
    enum Role: String, CaseIterable, Sendable {
        case owner, admin, member, muted, banned, outsider
    }

    /// One action: the request it makes (given the room, a plain member to act on, and a user
    /// outside the room), and the status each role gets.
    struct Action: Sendable, CustomTestStringConvertible {
        let name: String
        let request: @Sendable (_ room: String, _ target: String, _ newcomer: String) -> (HTTPRequest.Method, String, [String: Any]?)
        let expected: [Role: HTTPResponse.Status]
        var testDescription: String { name }
    }

    static func statuses(owner: HTTPResponse.Status, admin: HTTPResponse.Status, member: HTTPResponse.Status, muted: HTTPResponse.Status? = nil) -> [Role: HTTPResponse.Status] {
        [.owner: owner, .admin: admin, .member: member, .muted: muted ?? member, .banned: .notFound, .outsider: .notFound]
    }

    static let actions: [Action] = [
        Action(name: "view the room", request: { room, _, _ in (.get, "/rooms/\(room)", nil) },
               expected: statuses(owner: .ok, admin: .ok, member: .ok)),
        Action(name: "list members", request: { room, _, _ in (.get, "/rooms/\(room)/members", nil) },
               expected: statuses(owner: .ok, admin: .ok, member: .ok)),
        Action(name: "update the room", request: { room, _, _ in (.put, "/rooms/\(room)", ["name": "Renamed"]) },
               expected: statuses(owner: .ok, admin: .ok, member: .forbidden)),
        Action(name: "delete the room", request: { room, _, _ in (.delete, "/rooms/\(room)", nil) },
               expected: statuses(owner: .noContent, admin: .forbidden, member: .forbidden)),
        Action(name: "add a member", request: { room, _, newcomer in (.post, "/rooms/\(room)/members", ["user_id": newcomer]) },
               expected: statuses(owner: .created, admin: .created, member: .forbidden)),
        Action(name: "remove a member", request: { room, target, _ in (.delete, "/rooms/\(room)/members/\(target)", nil) },
               expected: statuses(owner: .noContent, admin: .noContent, member: .forbidden)),
        Action(name: "change a role", request: { room, target, _ in (.patch, "/rooms/\(room)/members/\(target)/role", ["role": "admin"]) },
               expected: statuses(owner: .ok, admin: .forbidden, member: .forbidden)),
        Action(name: "create an invite", request: { room, _, _ in (.post, "/rooms/\(room)/invites", [:]) },
               expected: statuses(owner: .created, admin: .created, member: .forbidden)),
        Action(name: "list invites", request: { room, _, _ in (.get, "/rooms/\(room)/invites", nil) },
               expected: statuses(owner: .ok, admin: .ok, member: .forbidden)),
        Action(name: "mute a member", request: { room, target, _ in (.post, "/rooms/\(room)/members/\(target)/mute", ["duration_seconds": 60]) },
               expected: statuses(owner: .ok, admin: .ok, member: .forbidden)),
        Action(name: "ban a member", request: { room, target, _ in (.post, "/rooms/\(room)/bans", ["user_id": target]) },
               expected: statuses(owner: .created, admin: .created, member: .forbidden)),
        Action(name: "list bans", request: { room, _, _ in (.get, "/rooms/\(room)/bans", nil) },
               expected: statuses(owner: .ok, admin: .ok, member: .forbidden)),
        Action(name: "list mutes", request: { room, _, _ in (.get, "/rooms/\(room)/mutes", nil) },
               expected: statuses(owner: .ok, admin: .ok, member: .forbidden)),
        Action(name: "leave", request: { room, _, _ in (.post, "/rooms/\(room)/leave", nil) },
               expected: statuses(owner: .conflict, admin: .noContent, member: .noContent)),
        Action(name: "set my notification level", request: { room, _, _ in (.put, "/rooms/\(room)/notifications", ["level": "all"]) },
               expected: statuses(owner: .ok, admin: .ok, member: .ok)),
        Action(name: "join (a private room)", request: { room, _, _ in (.post, "/rooms/\(room)/join", nil) },
               expected: statuses(owner: .ok, admin: .ok, member: .ok)),
    ]

    @Test(arguments: actions)
    func eachRoleGetsWhatTheTableSays(action: Action) async throws {
        try await withRooms { stack in
            var users: [Role: RoomsStack.User] = [:]
            for role in Role.allCases { users[role] = try await stack.register() }
            let target = try await stack.register()
            let newcomer = try await stack.register()
            for role in Role.allCases {
                let room = try await Self.room(with: users, target: target, in: stack)
                let (method, path, body) = action.request(room, target.id, newcomer.id)
                let reply = try await stack.call(method, path, json: body, as: users[role]!)
                #expect(reply.status == action.expected[role], "\(role.rawValue) → \(action.name): \(String(decoding: reply.body, as: UTF8.self))")
                if reply.status == .forbidden {
                    #expect(reply.errorCode == "forbidden", "\(role.rawValue) → \(action.name)")
                }
                if reply.status.code >= 400 {
                    // A refusal changes nothing.
                    #expect(try await stack.memberIDs(room, as: users[.owner]!) == Set([Role.owner, .admin, .member, .muted].map { users[$0]!.id } + [target.id]))
                }
            }
        }
    }

    /// A private room with a member of each role, a plain `target` member, and one banned user.
    static func room(with users: [Role: RoomsStack.User], target: RoomsStack.User, in stack: RoomsStack) async throws -> String {
        let owner = users[.owner]!
        let room = try await stack.createRoom(owner)
        for role in [Role.admin, .member, .muted, .banned] { try await stack.addMember(users[role]!, to: room, by: owner) }
        try await stack.addMember(target, to: room, by: owner)
        _ = try await stack.call(.patch, "/rooms/\(room)/members/\(users[.admin]!.id)/role", json: ["role": "admin"], as: owner)
        _ = try await stack.call(.post, "/rooms/\(room)/members/\(users[.muted]!.id)/mute", as: owner)
        let ban = try await stack.call(.post, "/rooms/\(room)/bans", json: ["user_id": users[.banned]!.id], as: owner)
        guard ban.status == .created else { throw TestFailure("ban failed: \(ban.status)") }
        return room
    }

    @Test func otherServicesGetTheSameVerdictsThroughTheInternalAPI() async throws {
        try await withRooms { stack in
            var users: [Role: RoomsStack.User] = [:]
            for role in Role.allCases { users[role] = try await stack.register() }
            let room = try await Self.room(with: users, target: try await stack.register(), in: stack)
            func actions(_ role: Role) async throws -> Set<String> {
                Set((try await stack.access(users[role]!, in: room)["allowed_actions"] as? [String]) ?? [])
            }
            let everyMember: Set<String> = ["view", "post", "react", "upload", "leave", "set_notification_level"]
            let moderation: Set<String> = ["update_room", "add_member", "remove_member", "manage_invites", "mute", "ban", "list_moderation",
                                           "pin_message", "delete_any_message", "review_reports"]
            #expect(try await actions(.owner) == everyMember.union(moderation).union(["delete_room", "change_role"]))
            #expect(try await actions(.admin) == everyMember.union(moderation))
            #expect(try await actions(.member) == everyMember)
            #expect(try await actions(.muted) == everyMember.subtracting(["post", "react", "upload"]))
            #expect(try await actions(.banned).isEmpty)
            #expect(try await actions(.outsider).isEmpty)
            let banned = try await stack.access(users[.banned]!, in: room)
            #expect(banned["is_member"] as? Bool == false && banned["banned"] as? Bool == true)
            let muted = try await stack.access(users[.muted]!, in: room)
            #expect(muted["muted"] as? Bool == true && muted["muted_until"] is NSNull && muted["role"] as? String == "member")
        }
    }

    @Test func aPublicRoomShowsItselfToOutsidersButNothingElse() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let outsider = try await stack.register()
            let room = try await stack.createRoom(owner, type: "public")
            #expect(try await stack.call(.get, "/rooms/\(room)", as: outsider).status == .ok)
            for (method, path) in [(HTTPRequest.Method.get, "/rooms/\(room)/members"), (.put, "/rooms/\(room)/notifications"), (.post, "/rooms/\(room)/leave")] {
                let reply = try await stack.call(method, path, json: method == .put ? ["level": "all"] : nil, as: outsider)
                #expect(reply.status == .forbidden && reply.errorCode == "not_a_member", "\(path)")
            }
        }
    }
}
