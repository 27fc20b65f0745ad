import Foundation
import HTTPTypes
import Logging
import RoomsAPI
import ServiceKit
import Testing
import TestSupport

/// What rooms tells its subscribers: each change as an event on the room's stream, in order.
@Suite struct RoomEventsTests {
    let logger = Logger(label: "room-events")

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
                let invite = try await stack.call(.post, "/rooms/\(room)/invites", json: [:], as: owner)
                let code = try #require(invite["code"] as? String)
                _ = try await stack.call(.delete, "/invites/\(code)", as: owner)
                _ = try await stack.call(.post, "/rooms/\(room)/leave", as: member)
                _ = try await stack.call(.delete, "/rooms/\(room)", as: owner)
                let events = try await recorder.waitFor(9) { $0.stream == room }
                #expect(events.map(\.type) == [
                    "room_created", "member_joined", "member_role_changed", "member_muted", "room_updated", "invite_created",
                    "invite_revoked", "member_left", "room_deleted",
                ])
                #expect(events.map(\.id) == events.map(\.id).sorted { $0.apiString < $1.apiString }, "event ids order a stream's events")
                guard case .object(let created) = events[5].data else { throw TestFailure("invite_created without data") }
                #expect(created["code"] == nil, "the code works like a password and stays out of events")
                #expect(events.allSatisfy { RoomEventType(rawValue: $0.type) != nil })
                // The membership events others act on decode as RoomsAPI defines them.
                let joined = try #require(events.first { $0.type == RoomEventType.memberJoined.rawValue }?.payload(as: MemberJoined.self, logger: logger))
                #expect(joined.roomId.apiString == room && joined.via == "join" && joined.role == "member" && joined.roomType == "public")
                #expect(joined.user.username == member.username && joined.user.id.apiString == member.id && joined.actorId == nil)
                let left = try #require(events.first { $0.type == RoomEventType.memberLeft.rawValue }?.payload(as: MemberLeft.self, logger: logger))
                #expect(left == MemberLeft(roomId: joined.roomId, userId: joined.user.id))
                // And so do the room events the gateway turns into frames.
                let ownerID = try #require(UUID(uuidString: owner.id))
                let roomCreated = try #require(events[0].payload(as: RoomCreated.self, logger: logger))
                #expect(roomCreated == RoomCreated(room: RoomReference(id: joined.roomId), memberIds: [ownerID]))
                let promoted = try #require(events[2].payload(as: MemberRoleChanged.self, logger: logger))
                #expect(promoted == MemberRoleChanged(roomId: joined.roomId, userId: joined.user.id, role: "admin", previousRole: "member", changedBy: ownerID))
                let updated = try #require(events[4].payload(as: RoomUpdated.self, logger: logger))
                #expect(updated == RoomUpdated(room: RoomReference(id: joined.roomId), updatedBy: ownerID))
                let deleted = try #require(events[8].payload(as: RoomDeleted.self, logger: logger))
                #expect(deleted == RoomDeleted(roomId: joined.roomId, memberIds: [ownerID], deletedBy: ownerID))
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

    @Test func unbansAndBlocksAreEventsTooOnceEach() async throws {
        let recorder = EventRecorder()
        try await recorder.serve { subscriber in
            try await withRooms(settings: ["EVENT_SUBSCRIBERS": "test=http://127.0.0.1:\(subscriber)"]) { stack in
                let owner = try await stack.register()
                let other = try await stack.register()
                let room = try await stack.createRoom(owner, type: "public")
                _ = try await stack.call(.post, "/rooms/\(room)/bans", json: ["user_id": other.id], as: owner)
                #expect(try await stack.call(.delete, "/rooms/\(room)/bans/\(other.id)", as: owner).status == .noContent)
                for _ in 0..<2 { _ = try await stack.call(.post, "/users/\(other.id)/block", as: owner) }
                for _ in 0..<2 { _ = try await stack.call(.delete, "/users/\(other.id)/block", as: owner) }
                let roomEvents = try await recorder.waitFor(3) { $0.stream == room }
                #expect(roomEvents.map(\.type) == ["room_created", "member_banned", "member_unbanned"])
                let banned = try #require(roomEvents[1].payload(as: MemberBanned.self, logger: logger))
                #expect(banned.userId.apiString == other.id && banned.bannedBy.apiString == owner.id && !banned.wasMember && banned.reason == nil)
                let blockEvents = try await recorder.waitFor(2) { $0.stream == owner.id }
                #expect(blockEvents.map(\.type) == ["user_blocked", "user_unblocked"], "repeating a block or unblock changes nothing")
                #expect(blockEvents[0].data == .object(["blocker_id": .string(owner.id), "blocked_id": .string(other.id), "direct_room_id": .null]))
            }
        }
    }
}
