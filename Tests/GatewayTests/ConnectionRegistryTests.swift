import Foundation
import RoomsAPI
import ServiceKit
import Testing

@testable import Gateway

/// How rooms events map to frames and room sets, and how the registry keeps each session's rooms
/// right when membership changes race a (re)load of its room list. No sockets: sessions are
/// bare queues.
@Suite struct ConnectionRegistryTests {
    static func event(_ type: String, _ data: [String: JSONValue]) -> Event {
        Event(id: .v7(), type: type, stream: "s", occurredAt: Date(), data: .object(data))
    }

    static func joined(_ user: UUID, _ room: UUID) -> RoomEventEffect {
        RoomEventEffect.of(event("member_joined", [
            "room_id": .string(room.apiString), "user": .object(["id": .string(user.apiString), "username": .string("u")]),
        ]))!
    }

    static func left(_ user: UUID, _ room: UUID) -> RoomEventEffect {
        RoomEventEffect.of(event("member_left", ["room_id": .string(room.apiString), "user_id": .string(user.apiString)]))!
    }

    static func session(_ id: String, _ user: UUID, _ queue: OutboundQueue, login: UUID = UUID(), expiresAt: Date = .distantFuture) -> SessionHandle {
        SessionHandle(id: id, userID: user, loginSessionID: login, expiresAt: expiresAt, outbound: queue)
    }

    /// The frame types a session received so far (ends its queue).
    static func received(_ queue: OutboundQueue) async -> [String] {
        queue.finish()
        var types: [String] = []
        for await text in queue.frames {
            let frame = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            let room = (frame?["data"] as? [String: Any])?["room_id"] as? String ?? "?"
            types.append("\(frame?["type"] as? String ?? "?")@\(room)")
        }
        return types
    }

    @Test func eventsBecomeFramesAndRoomChanges() throws {
        let (user, room) = (UUID(), UUID())
        let joined = Self.joined(user, room)
        #expect(joined.joining == [user] && joined.roomID == room && joined.frame?.type == "user_joined")
        #expect(joined.frame?.eventID?.isEmpty == false)
        let banned = Self.event("member_banned", ["room_id": .string(room.apiString), "user_id": .string(user.apiString), "was_member": .bool(true)])
        #expect(RoomEventEffect.of(banned)?.leaving == [user])
        let bannedOutsider = Self.event("member_banned", ["room_id": .string(room.apiString), "user_id": .string(user.apiString), "was_member": .bool(false)])
        #expect(RoomEventEffect.of(bannedOutsider) == nil, "nobody's view changes")
        let deleted = RoomEventEffect.of(Self.event("room_deleted", ["room_id": .string(room.apiString)]))
        #expect(deleted?.roomGone == true && deleted?.frame?.type == "room_deleted")
        let updated = RoomEventEffect.of(Self.event("room_updated", [
            "room": .object(["id": .string(room.apiString), "name": .string("new name"), "my_role": .string("owner"), "unread_count": .number(3)]),
            "updated_by": .string(user.apiString),
        ]))
        #expect(updated?.frame?.type == "room_updated")
        guard case .object(let data)? = updated?.frame?.data, case .object(let shown)? = data["room"] else {
            Issue.record("room_updated carries the room")
            return
        }
        #expect(shown["name"] == .string("new name") && shown["my_role"] == nil && shown["unread_count"] == nil, "the updater's own view stays theirs")
        let promoted = RoomEventEffect.of(Self.event("member_role_changed", [
            "room_id": .string(room.apiString), "user_id": .string(user.apiString), "role": .string("admin"), "changed_by": .string(UUID().apiString),
        ]))
        #expect(promoted?.frame?.type == "member_role_changed" && promoted?.roomID == room)
        #expect(RoomEventEffect.of(Self.event("invite_created", ["room_id": .string(room.apiString)])) == nil)
    }

    @Test func aSessionFollowsItsUsersMembership() async {
        let registry = ConnectionRegistry()
        let (alice, bob, room) = (UUID(), UUID(), UUID())
        let aliceQueue = OutboundQueue(capacity: 16)
        await registry.register(Self.session("a", alice, aliceQueue))
        await registry.roomsLoaded([room], for: "a")
        await registry.apply(Self.joined(bob, room))
        await registry.apply(Self.left(alice, room))
        await registry.apply(Self.joined(bob, room))
        #expect(await Self.received(aliceQueue) == ["user_joined@\(room.apiString)", "user_left@\(room.apiString)"])
    }

    @Test func changesRacingTheLoadAreNeitherLostNorUndone() async {
        let registry = ConnectionRegistry()
        let (alice, bob, kept, added, removed) = (UUID(), UUID(), UUID(), UUID(), UUID())
        let queue = OutboundQueue(capacity: 16)
        await registry.register(Self.session("a", alice, queue))
        // While rooms is still answering (with the list as it was before these changes):
        await registry.apply(Self.joined(alice, added))
        await registry.apply(Self.left(alice, removed))
        await registry.roomsLoaded([kept, removed], for: "a")
        for room in [kept, added, removed] { await registry.apply(Self.joined(bob, room)) }
        let j = { (room: UUID) in "user_joined@\(room.apiString)" }
        // Her own join as it happened, then bob's joins of the rooms she is in now.
        #expect(await Self.received(queue) == [j(added), j(kept), j(added)])
    }

    @Test func aResyncReplacesTheRoomSetKeepingChangesMadeMeanwhile() async {
        let registry = ConnectionRegistry()
        let (alice, bob, stale, missed, addedDuring) = (UUID(), UUID(), UUID(), UUID(), UUID())
        let queue = OutboundQueue(capacity: 16)
        await registry.register(Self.session("a", alice, queue))
        await registry.roomsLoaded([stale], for: "a")
        // Events lost while unsubscribed: alice left `stale` and joined `missed`. A resync starts,
        // an event arrives during it, then rooms answers with the list from before that event.
        #expect(await registry.beginResync().map(\.sessionID) == ["a"])
        await registry.apply(Self.joined(alice, addedDuring))
        await registry.roomsLoaded([missed], for: "a")
        for room in [stale, missed, addedDuring] { await registry.apply(Self.joined(bob, room)) }
        let j = { (room: UUID) in "user_joined@\(room.apiString)" }
        #expect(await Self.received(queue) == [j(addedDuring), j(missed), j(addedDuring)])
    }

    @Test func departedMembersAreToldWhetherTheyLeftOrTheRoomIsGone() async {
        let registry = ConnectionRegistry()
        let (alice, bob, room) = (UUID(), UUID(), UUID())
        let (aliceQueue, bobQueue) = (OutboundQueue(capacity: 16), OutboundQueue(capacity: 16))
        await registry.register(Self.session("a", alice, aliceQueue))
        await registry.register(Self.session("b", bob, bobQueue))
        await registry.roomsLoaded([room], for: "a")
        await registry.roomsLoaded([room], for: "b")
        await registry.depart(AccessEpochs.Departure(roomId: room, userIds: [alice], roomDeleted: false))
        await registry.depart(AccessEpochs.Departure(roomId: room, userIds: [alice, bob], roomDeleted: true))
        #expect(await Self.received(aliceQueue) == ["user_left@\(room.apiString)"], "told once, when she left")
        #expect(await Self.received(bobQueue) == ["room_deleted@\(room.apiString)"])
    }

    @Test func anOverflowingQueueStopsAtOnce() async {
        let queue = OutboundQueue(capacity: 2)
        queue.send("1")
        queue.send("2")
        #expect(queue.closing == nil)
        queue.send("3")
        #expect(queue.closing == .tooSlow)
        queue.send("4")
        var left: [String] = []
        for await text in queue.frames { left.append(text) }
        #expect(left == ["1", "2"], "the stream ended; the writer checks closing and drops these")
    }

    @Test func anEndedLoginSessionsSocketsCloseAndGetNothingMore() async {
        let registry = ConnectionRegistry()
        let (alice, room, loggedOut, stillIn) = (UUID(), UUID(), UUID(), UUID())
        let (phone, laptop, tablet) = (OutboundQueue(capacity: 16), OutboundQueue(capacity: 16), OutboundQueue(capacity: 16))
        for (id, queue, login) in [("phone", phone, loggedOut), ("laptop", laptop, loggedOut), ("tablet", tablet, stillIn)] {
            await registry.register(Self.session(id, alice, queue, login: login))
            await registry.roomsLoaded([room], for: id)
        }
        #expect(await registry.loginSessionIDs() == [loggedOut, stillIn])
        await registry.endSessions([loggedOut])
        await registry.apply(Self.joined(UUID(), room))
        #expect(phone.closing == .sessionEnded && laptop.closing == .sessionEnded && tablet.closing == nil)
        #expect(await Self.received(phone).isEmpty)
        #expect(await Self.received(laptop).isEmpty)
        #expect(await Self.received(tablet) == ["user_joined@\(room.apiString)"])
    }

    @Test func aSocketWhoseTokenExpiredEndsAtTheSweep() async {
        let registry = ConnectionRegistry()
        let now = Date()
        let (expiring, lasting) = (OutboundQueue(capacity: 4), OutboundQueue(capacity: 4))
        await registry.register(Self.session("expiring", UUID(), expiring, expiresAt: now.addingTimeInterval(60)))
        await registry.register(Self.session("lasting", UUID(), lasting, expiresAt: now.addingTimeInterval(3600)))
        await registry.endExpiredSessions(now: now.addingTimeInterval(59))
        #expect(expiring.closing == nil)
        await registry.endExpiredSessions(now: now.addingTimeInterval(60))
        #expect(expiring.closing == .sessionEnded && lasting.closing == nil)
    }
}
