import Foundation
import HTTPTypes
import Testing
import TestSupport

@Suite struct RoomLifecycleTests {
    @Test func creatingARoomGivesTheCreatorOwnershipAndTheFullShape() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let reply = try await stack.call(.post, "/rooms", json: ["name": "  General  ", "description": "Talk", "type": "public"], as: owner)
            #expect(reply.status == .created)
            #expect(reply["name"] as? String == "General" && reply["description"] as? String == "Talk" && reply["type"] as? String == "public")
            #expect(reply["created_by"] as? String == owner.id && reply["member_count"] as? Int == 1 && reply["has_password"] as? Bool == false)
            #expect(reply["last_message_at"] is NSNull && (reply["created_at"] as? String)?.hasSuffix("Z") == true)
            #expect(reply["my_role"] as? String == "owner" && reply["unread_count"] as? Int == 0 && reply["notification_level"] as? String == "mentions")
            let id = try #require(reply["id"] as? String)
            #expect(id == id.lowercased() && UUID(uuidString: id) != nil)
        }
    }

    @Test(arguments: [
        (["name": "", "type": "public"], "name"),
        (["name": String(repeating: "x", count: 101), "type": "public"], "name"),
        (["type": "public"], "name"),
        (["name": "ok", "type": "secret"], "type"),
        (["name": "ok", "type": "private", "password": "hunter22"], "password"),
        (["name": "ok", "type": "public", "password": "abc"], "password"),
        (["name": "ok", "description": String(repeating: "d", count: 1001)], "description"),
        (["type": "direct"], "user_id"),
    ] as [([String: String], String)])
    func badRoomsAreRefusedNamingTheField(body: [String: String], field: String) async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let reply = try await stack.call(.post, "/rooms", json: body, as: owner)
            #expect(reply.status == .badRequest && reply.errorCode == "validation_failed" && reply.errorField == field)
            let mine = try await stack.call(.get, "/rooms", as: owner)
            #expect((mine["rooms"] as? [Any])?.isEmpty == true, "nothing was created")
        }
    }

    @Test func wrongTypesAndMissingTokensAreRefused() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let wrongType = try await stack.call(.post, "/rooms", json: ["name": 7], as: owner)
            #expect(wrongType.status == .badRequest && wrongType.errorCode == "bad_request" && wrongType.errorField == "name")
            #expect(try await stack.rooms.call(.get, "/rooms").status == .unauthorized)
            #expect(try await stack.call(.get, "/rooms/not-a-uuid", as: owner).status == .notFound)
            #expect(try await stack.call(.get, "/rooms/\(UUID())", as: owner).status == .notFound)
        }
    }

    @Test func myRoomsComeNewestFirstAndPageWithACursor() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            var created: [String] = []
            for index in 0..<5 {
                created.append(try await stack.createRoom(owner, name: "Room \(index)"))
                stack.clock.advance(by: 1)
            }
            var seen: [String] = []
            var cursor: String?
            repeat {
                let reply = try await stack.call(.get, "/rooms?limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), as: owner)
                let rooms = try #require(reply["rooms"] as? [[String: Any]])
                #expect(rooms.count <= 2)
                #expect(rooms.allSatisfy { $0["my_role"] as? String == "owner" && $0["unread_count"] as? Int == 0 })
                seen += rooms.compactMap { $0["id"] as? String }
                cursor = reply["next_cursor"] as? String
            } while cursor != nil
            #expect(seen == created.reversed())
            #expect(try await stack.call(.get, "/rooms?cursor=%%%", as: owner).errorField == "cursor")
            #expect(try await stack.call(.get, "/rooms?limit=101", as: owner).errorField == "limit")
        }
    }

    @Test func publicRoomsAreDiscoverableByNameWithPaging() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let stranger = try await stack.register()
            let tag = UUID().uuidString.prefix(8).lowercased()
            for name in ["Alpha \(tag)", "beta \(tag)", "Gamma \(tag)", "other"] { _ = try await stack.createRoom(owner, type: "public", name: name) }
            _ = try await stack.createRoom(owner, type: "private", name: "Secret \(tag)")
            var names: [String] = []
            var cursor: String?
            repeat {
                let reply = try await stack.call(.get, "/rooms/public?q=\(tag)&limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""), as: stranger)
                let rooms = try #require(reply["rooms"] as? [[String: Any]])
                #expect(rooms.allSatisfy { $0["my_role"] == nil })
                names += rooms.compactMap { $0["name"] as? String }
                cursor = reply["next_cursor"] as? String
            } while cursor != nil
            #expect(names == ["Alpha \(tag)", "beta \(tag)", "Gamma \(tag)"])
            let wildcard = try await stack.call(.get, "/rooms/public?q=%25", as: stranger)
            #expect((wildcard["rooms"] as? [Any])?.isEmpty == true, "LIKE wildcards in q are literal")
        }
    }

    @Test func adminsUpdateTheRoomAndNullClears() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let room = try await stack.createRoom(owner, type: "public")
            let updated = try await stack.call(.put, "/rooms/\(room)", json: ["name": "New", "description": "About", "password": "open sesame"], as: owner)
            #expect(updated.status == .ok && updated["name"] as? String == "New" && updated["has_password"] as? Bool == true)
            let cleared = try await stack.call(.put, "/rooms/\(room)", json: ["description": NSNull(), "password": NSNull()], as: owner)
            #expect(cleared["description"] is NSNull && cleared["has_password"] as? Bool == false && cleared["name"] as? String == "New")
            let bad = try await stack.call(.put, "/rooms/\(room)", json: ["name": ""], as: owner)
            #expect(bad.errorField == "name")
            let privateRoom = try await stack.createRoom(owner)
            #expect(try await stack.call(.put, "/rooms/\(privateRoom)", json: ["password": "abcd"], as: owner).errorField == "password")
        }
    }

    @Test func aPasswordRoomWantsItsPasswordAndThrottlesGuessing() async throws {
        try await withRooms(settings: ["ROOM_PASSWORD_MAX_FAILURES": "3"]) { stack in
            let owner = try await stack.register()
            let guest = try await stack.register()
            let guesser = try await stack.register()
            let room = try await stack.createRoom(owner, type: "public", password: "open sesame")
            let none = try await stack.call(.post, "/rooms/\(room)/join", as: guest)
            #expect(none.status == .forbidden && none.errorCode == "wrong_password")
            let right = try await stack.call(.post, "/rooms/\(room)/join", json: ["password": "open sesame"], as: guest)
            #expect(right.status == .ok && right["my_role"] as? String == "member" && right["member_count"] as? Int == 2)
            for _ in 0..<3 {
                #expect(try await stack.call(.post, "/rooms/\(room)/join", json: ["password": "guess"], as: guesser).errorCode == "wrong_password")
            }
            let locked = try await stack.call(.post, "/rooms/\(room)/join", json: ["password": "open sesame"], as: guesser)
            #expect(locked.status == .tooManyRequests && locked.headers[.retryAfter] != nil)
            #expect(!(try await stack.memberIDs(room, as: owner)).contains(guesser.id))
        }
    }

    /// `password` tried by `user` on each of `rooms` at once; the replies.
    static func joinsAtOnce(_ rooms: [String], password: String, as user: RoomsStack.User, stack: RoomsStack) async throws -> [APIReply] {
        try await withThrowingTaskGroup(of: APIReply.self) { group in
            for room in rooms {
                group.addTask { try await stack.call(.post, "/rooms/\(room)/join", json: ["password": password], as: user) }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    @Test func twentyConcurrentWrongPasswordsReachBcryptAtMostMaxFailuresTimes() async throws {
        try await withRooms(settings: ["ROOM_PASSWORD_MAX_FAILURES": "5"]) { stack in
            let owner = try await stack.register()
            let guesser = try await stack.register()
            let guest = try await stack.register()
            let room = try await stack.createRoom(owner, type: "public", password: "open sesame")
            let replies = try await Self.joinsAtOnce(Array(repeating: room, count: 20), password: "guess", as: guesser, stack: stack)
            // Only a password that reached bcrypt can be called wrong.
            #expect(replies.filter { $0.errorCode == "wrong_password" }.count == 5)
            #expect(replies.filter { $0.status == .tooManyRequests && $0.headers[.retryAfter] != nil }.count == 15)
            let locked = try await stack.call(.post, "/rooms/\(room)/join", json: ["password": "open sesame"], as: guesser)
            #expect(locked.status == .tooManyRequests)
            let right = try await stack.call(.post, "/rooms/\(room)/join", json: ["password": "open sesame"], as: guest)
            #expect(right.status == .ok && right["my_role"] as? String == "member", "another user is not locked out")
        }
    }

    @Test func oneUserCannotGuessManyRoomsPasswordsInParallel() async throws {
        let settings = ["ROOM_PASSWORD_MAX_FAILURES": "5", "ROOM_PASSWORD_USER_MAX_FAILURES": "8", "ROOM_CREATE_RATE_LIMIT": "100"]
        try await withRooms(settings: settings) { stack in
            let owner = try await stack.register()
            let guesser = try await stack.register()
            let guest = try await stack.register()
            var rooms: [String] = []
            for index in 0..<20 { rooms.append(try await stack.createRoom(owner, type: "public", name: "Club \(index)", password: "open sesame")) }
            let replies = try await Self.joinsAtOnce(rooms, password: "guess", as: guesser, stack: stack)
            #expect(replies.filter { $0.errorCode == "wrong_password" }.count == 8)
            #expect(replies.filter { $0.status == .tooManyRequests }.count == 12)
            let locked = try await stack.call(.post, "/rooms/\(rooms[0])/join", json: ["password": "open sesame"], as: guesser)
            #expect(locked.status == .tooManyRequests, "the user's budget across rooms is spent")
            #expect(try await stack.call(.post, "/rooms/\(rooms[0])/join", json: ["password": "open sesame"], as: guest).status == .ok)
        }
    }

    @Test func aRightPasswordGivesTheUsersAttemptBackAcrossRooms() async throws {
        let settings = ["ROOM_PASSWORD_MAX_FAILURES": "5", "ROOM_PASSWORD_USER_MAX_FAILURES": "2"]
        try await withRooms(settings: settings) { stack in
            let owner = try await stack.register()
            let member = try await stack.register()
            let first = try await stack.createRoom(owner, type: "public", name: "First", password: "open sesame")
            let second = try await stack.createRoom(owner, type: "public", name: "Second", password: "open sesame")
            #expect(try await stack.call(.post, "/rooms/\(first)/join", json: ["password": "typo"], as: member).errorCode == "wrong_password")
            #expect(try await stack.call(.post, "/rooms/\(first)/join", json: ["password": "open sesame"], as: member).status == .ok)
            // The success refunded its own attempt only: one wrong try of the two is still counted.
            #expect(try await stack.call(.post, "/rooms/\(second)/join", json: ["password": "typo"], as: member).errorCode == "wrong_password")
            #expect(try await stack.call(.post, "/rooms/\(second)/join", json: ["password": "open sesame"], as: member).status == .tooManyRequests)
        }
    }

    @Test func joiningAndLeavingAPublicRoom() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let guest = try await stack.register()
            let room = try await stack.createRoom(owner, type: "public")
            #expect(try await stack.call(.post, "/rooms/\(room)/join", as: guest).status == .ok)
            #expect(try await stack.call(.post, "/rooms/\(room)/join", as: guest).status == .ok, "joining again is harmless")
            #expect(try await stack.memberIDs(room, as: owner) == [owner.id, guest.id])
            #expect(try await stack.call(.post, "/rooms/\(room)/leave", as: guest).status == .noContent)
            #expect(try await stack.memberIDs(room, as: owner) == [owner.id])
            let privateRoom = try await stack.createRoom(owner)
            #expect(try await stack.call(.post, "/rooms/\(privateRoom)/join", as: guest).status == .notFound)
        }
    }

    @Test func theOwnerHandsOverBeforeLeavingUnlessAlone() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let heir = try await stack.register()
            let room = try await stack.createRoom(owner)
            try await stack.addMember(heir, to: room, by: owner)
            let refused = try await stack.call(.post, "/rooms/\(room)/leave", as: owner)
            #expect(refused.status == .conflict && refused.errorCode == "owner_must_transfer")
            let transfer = try await stack.call(.patch, "/rooms/\(room)/members/\(heir.id)/role", json: ["role": "owner"], as: owner)
            #expect(transfer.status == .ok && transfer["role"] as? String == "owner")
            #expect(try await stack.call(.get, "/rooms/\(room)", as: owner)["my_role"] as? String == "admin")
            #expect(try await stack.call(.post, "/rooms/\(room)/leave", as: owner).status == .noContent)
            #expect(try await stack.call(.post, "/rooms/\(room)/leave", as: heir).status == .noContent, "the last member may leave")
            #expect(try await stack.call(.get, "/rooms/\(room)", as: heir).status == .notFound, "and the room goes with them")
        }
    }

    @Test func roleChangesAreValidated() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let member = try await stack.register()
            let room = try await stack.createRoom(owner)
            try await stack.addMember(member, to: room, by: owner)
            #expect(try await stack.call(.patch, "/rooms/\(room)/members/\(member.id)/role", json: ["role": "king"], as: owner).errorField == "role")
            #expect(try await stack.call(.patch, "/rooms/\(room)/members/\(owner.id)/role", json: ["role": "member"], as: owner).errorField == "role")
            #expect(try await stack.call(.patch, "/rooms/\(room)/members/\(UUID())/role", json: ["role": "admin"], as: owner).status == .notFound)
        }
    }

    @Test func deletingARoomRemovesItForEveryone() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let member = try await stack.register()
            let room = try await stack.createRoom(owner)
            try await stack.addMember(member, to: room, by: owner)
            #expect(try await stack.call(.delete, "/rooms/\(room)", as: owner).status == .noContent)
            for user in [owner, member] {
                #expect(try await stack.call(.get, "/rooms/\(room)", as: user).status == .notFound)
                #expect((try await stack.call(.get, "/rooms", as: user)["rooms"] as? [Any])?.isEmpty == true)
            }
            #expect(try await stack.access(member, in: room).status == .notFound)
        }
    }
}
