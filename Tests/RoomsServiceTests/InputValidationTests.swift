import Foundation
import HTTPTypes
import Testing
import TestSupport

/// Text Postgres cannot store is a 400 naming its field; a room the caller may not act on is
/// refused before its body is read; identifiers are checked before any lookup.
@Suite struct InputValidationTests {
    /// A JSON string holding a NUL character, as a client would send it.
    static let nul = #""a\u0000b""#
    /// A JSON string holding an unpaired surrogate.
    static let loneSurrogate = #""a\ud800b""#

    @Test(arguments: [
        (#"{"name": \#(nul)}"#, "name"),
        (#"{"name": \#(loneSurrogate)}"#, "name"),
        (#"{"name": "ok", "description": \#(nul)}"#, "description"),
        (#"{"name": "ok", "type": "public", "password": \#(nul)}"#, "password"),
        (#"{"type": "direct", "user_id": \#(nul)}"#, "user_id"),
    ])
    func roomTextPostgresCannotStoreIsRefusedNamingTheField(body: String, field: String) async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let reply = try await stack.rooms.call(.post, "/rooms", rawBody: body, token: owner.token)
            #expect(reply.status == .badRequest && reply.errorCode == "validation_failed" && reply.errorField == field)
            #expect((try await stack.call(.get, "/rooms", as: owner)["rooms"] as? [Any])?.isEmpty == true, "nothing was created")
        }
    }

    /// Every room-scoped route that takes a body, with a body holding NUL in `field`.
    static func roomScopedWrites(room: String, target: String) -> [(HTTPRequest.Method, String, String, String)] {
        [
            (.put, "/rooms/\(room)", #"{"name": \#(nul)}"#, "name"),
            (.put, "/rooms/\(room)", #"{"description": \#(nul)}"#, "description"),
            (.put, "/rooms/\(room)", #"{"password": \#(nul)}"#, "password"),
            (.post, "/rooms/\(room)/join", #"{"password": \#(nul)}"#, "password"),
            (.put, "/rooms/\(room)/notifications", #"{"level": \#(nul)}"#, "level"),
            (.post, "/rooms/\(room)/members", #"{"user_id": \#(nul)}"#, "user_id"),
            (.patch, "/rooms/\(room)/members/\(target)/role", #"{"role": \#(nul)}"#, "role"),
            (.post, "/rooms/\(room)/members/\(target)/mute", #"{"duration_seconds": 60, "note": \#(nul)}"#, "note"),
            (.post, "/rooms/\(room)/bans", #"{"user_id": "\#(target)", "reason": \#(nul)}"#, "reason"),
            (.post, "/rooms/\(room)/invites", #"{"max_uses": 1, "note": \#(nul)}"#, "note"),
        ]
    }

    @Test func anUnknownRoomIsNotFoundWhateverTheBodyHolds() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let member = try await stack.register()
            let stranger = try await stack.register()
            let room = try await stack.createRoom(owner, type: "public", password: "open sesame")
            try await stack.addMember(member, to: room, by: owner)
            let hidden = try await stack.createRoom(owner, type: "private")

            for (method, path, body, _) in Self.roomScopedWrites(room: UUID().uuidString, target: member.id) {
                let reply = try await stack.rooms.call(method, path, rawBody: body, token: owner.token)
                #expect(reply.status == .notFound && reply.errorCode == "not_found", "\(method) \(path)")
            }
            for (method, path, body, _) in Self.roomScopedWrites(room: hidden, target: member.id) {
                #expect(try await stack.rooms.call(method, path, rawBody: body, token: stranger.token).status == .notFound, "\(method) \(path)")
            }
            // A public room the caller is not in: what they may not do is refused before the body too.
            let update = try await stack.rooms.call(.put, "/rooms/\(room)", rawBody: #"{"name": \#(Self.nul)}"#, token: stranger.token)
            #expect(update.status == .forbidden && update.errorCode == "not_a_member")
            let ban = try await stack.rooms.call(.post, "/rooms/\(room)/bans", rawBody: #"{"user_id": \#(Self.nul)}"#, token: member.token)
            #expect(ban.status == .forbidden && ban.errorCode == "forbidden")
        }
    }

    @Test func inARoomTheCallerRunsTheBodyIsCheckedNamingTheField() async throws {
        try await withRooms { stack in
            let owner = try await stack.register()
            let member = try await stack.register()
            let room = try await stack.createRoom(owner, type: "public", password: "open sesame")
            try await stack.addMember(member, to: room, by: owner)
            for (method, path, body, field) in Self.roomScopedWrites(room: room, target: member.id) {
                let reply = try await stack.rooms.call(method, path, rawBody: body, token: owner.token)
                #expect(reply.status == .badRequest && reply.errorCode == "validation_failed" && reply.errorField == field, "\(method) \(path)")
            }
            // Nothing changed.
            let shown = try await stack.call(.get, "/rooms/\(room)", as: owner)
            #expect(shown["name"] as? String == "Room" && shown["has_password"] as? Bool == true)
            #expect(try await stack.memberIDs(room, as: owner) == [owner.id, member.id])
            #expect((try await stack.call(.get, "/rooms/\(room)/bans", as: owner)["bans"] as? [Any])?.isEmpty == true)
            #expect((try await stack.call(.get, "/rooms/\(room)/mutes", as: owner)["members"] as? [Any])?.isEmpty == true)
            #expect((try await stack.call(.get, "/rooms/\(room)/invites", as: owner)["invites"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func inviteCodesAreCheckedBeforeAnyLookup() async throws {
        try await withRooms { stack in
            let user = try await stack.register()
            // As long as a request line may be (longer ones are refused by the HTTP decoder before any route).
            let huge = String(repeating: "A", count: 60_000)
            for path in ["/invites/\(huge)", "/invites/%C3%84%C3%84%C3%84%C3%84%C3%84%C3%84%C3%84%C3%84%C3%84%C3%84%C3%84%C3%84",
                         "/invites/%00%00%00%00%00%00%00%00%00%00%00%00", "/invites/abc"] {
                #expect(try await stack.call(.get, path, as: user).status == .notFound, "\(path.prefix(40))")
                #expect(try await stack.call(.post, path + "/accept", as: user).status == .notFound, "\(path.prefix(40))")
                #expect(try await stack.call(.delete, path, as: user).status == .notFound, "\(path.prefix(40))")
            }
        }
    }

    @Test func publicRoomSearchTermsAreChecked() async throws {
        try await withRooms { stack in
            let user = try await stack.register()
            let nul = try await stack.call(.get, "/rooms/public?q=plan%00", as: user)
            #expect(nul.status == .badRequest && nul.errorCode == "validation_failed" && nul.errorField == "q")
            let long = try await stack.call(.get, "/rooms/public?q=" + String(repeating: "x", count: 101), as: user)
            #expect(long.status == .badRequest && long.errorField == "q")
        }
    }
}
