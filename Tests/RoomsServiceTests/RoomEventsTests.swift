import Foundation
import HTTPTypes
import ServiceKit
import Testing
import TestSupport

/// What rooms tells its subscribers: each change as an event on the room's stream, in order.
@Suite struct RoomEventsTests {
    @Test func eachChangeIsAnEventOnTheRoomsStreamInOrder() async throws {
        let recorder = EventRecorder()
        try await recorder.serve { subscriber in
            try await withRooms(settings: ["EVENT_SUBSCRIBERS": "test=http://127.0.0.1:\(subscriber)"]) { stack in
                let owner = try await stack.register()
                let member = try await stack.register()
                let room = try await stack.createRoom(owner, type: "public")
                _ = try await stack.call(.post, "/rooms/\(room)/join", as: member)
                _ = try await stack.call(.patch, "/rooms/\(room)/members/\(member.id)/role", json: ["role": "admin"], as: owner)
                _ = try await stack.call(.post, "/rooms/\(room)/members/\(member.id)/mute", json: ["duration_seconds": 60], as: owner)
                _ = try await stack.call(.put, "/rooms/\(room)", json: ["name": "Renamed"], as: owner)
                _ = try await stack.call(.post, "/rooms/\(room)/invites", json: [:], as: owner)
                _ = try await stack.call(.post, "/rooms/\(room)/leave", as: member)
                _ = try await stack.call(.delete, "/rooms/\(room)", as: owner)
                let events = try await recorder.waitFor(8) { $0.stream == room }
                #expect(events.map(\.type) == [
                    "room_created", "member_joined", "member_role_changed", "member_muted", "room_updated", "invite_created",
                    "member_left", "room_deleted",
                ])
                let joined = try #require(events.first { $0.type == "member_joined" })
                guard case .object(let data) = joined.data, case .object(let user)? = data["user"] else { throw TestFailure("no user in member_joined") }
                #expect(data["room_id"] == .string(room) && data["via"] == .string("join") && data["role"] == .string("member"))
                #expect(user["username"] == .string(member.username) && user["id"] == .string(member.id))
                guard case .object(let deleted) = events.last!.data else { throw TestFailure("room_deleted without data") }
                #expect(deleted["member_ids"] == .array([.string(owner.id)]))
            }
        }
    }

    @Test func aRefusedChangeEmitsNothing() async throws {
        let recorder = EventRecorder()
        try await recorder.serve { subscriber in
            try await withRooms(settings: ["EVENT_SUBSCRIBERS": "test=http://127.0.0.1:\(subscriber)"]) { stack in
                let owner = try await stack.register()
                let troll = try await stack.register()
                let room = try await stack.createRoom(owner, type: "public")
                _ = try await stack.call(.post, "/rooms/\(room)/bans", json: ["user_id": troll.id], as: owner)
                #expect(try await stack.call(.post, "/rooms/\(room)/join", as: troll).status == .forbidden)
                let marker = try await stack.createRoom(owner)
                try await recorder.waitFor(1) { $0.stream == marker }
                #expect(recorder.events.filter { $0.stream == room }.map(\.type) == ["room_created", "member_banned"])
            }
        }
    }
}
