import Foundation
import NIOCore
import RoomsAPI
import ServiceKit
import Synchronization
import Testing
import TestSupport

@testable import Gateway

/// How the registry keeps each session's rooms right when membership changes race a (re)load of
/// its room list. No sockets: sessions' queues write to recorders.
@Suite struct ConnectionRegistryTests {
    static func joined(_ user: UUID, _ room: UUID) -> RoomEventEffect {
        RoomEventEffect.of(try! .made(RoomEventType.memberJoined.rawValue, stream: room, payload: MemberJoined(
            roomId: room, roomType: "public", user: EventFramesTests.user(user), role: "member", via: "join", actorId: nil)))!
    }

    static func left(_ user: UUID, _ room: UUID) -> RoomEventEffect {
        RoomEventEffect.of(try! .made(RoomEventType.memberLeft.rawValue, stream: room, payload: MemberLeft(roomId: room, userId: user)))!
    }

    static func session(_ id: String, _ user: UUID, _ queue: OutboundQueue, login: UUID = UUID(), expiresAt: Date = .distantFuture) -> SessionHandle {
        SessionHandle(id: id, userID: user, loginSessionID: login, expiresAt: expiresAt, outbound: queue)
    }

    /// A socket in a test: runs event-loop work at once and keeps the frames written, each
    /// acknowledged as sent at once, or never (a client that stopped reading).
    final class RecordingSink: FrameSink {
        let acknowledges: Bool
        private let frames = Mutex<[String]>([])

        init(acknowledges: Bool = true) { self.acknowledges = acknowledges }

        func onEventLoop(_ body: @escaping @Sendable () -> Void) { body() }

        func write(_ frames: [ByteBuffer], sent: @escaping @Sendable () -> Void) {
            self.frames.withLock { $0 += frames.map { String(buffer: $0) } }
            if acknowledges { sent() }
        }

        var written: [String] { frames.withLock { $0 } }
    }

    /// An opened queue (its socket got `ready`) writing to a recorder.
    static func queue(capacity: Int = 16, acknowledges: Bool = true) -> (OutboundQueue, RecordingSink) {
        let sink = RecordingSink(acknowledges: acknowledges)
        let queue = OutboundQueue(capacity: capacity, sink: sink)
        queue.open(leadingWith: #"{"type":"ready"}"#)
        return (queue, sink)
    }

    /// The frame types a socket received after `ready`, each with its room.
    static func received(_ sink: RecordingSink) -> [String] {
        sink.written.dropFirst().map { text in
            let frame = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any]
            let room = (frame?["data"] as? [String: Any])?["room_id"] as? String ?? "?"
            return "\(frame?["type"] as? String ?? "?")@\(room)"
        }
    }

    @Test func aSessionFollowsItsUsersMembership() async {
        let registry = ConnectionRegistry()
        let (alice, bob, room) = (UUID(), UUID(), UUID())
        let (aliceQueue, aliceSocket) = Self.queue()
        await registry.register(Self.session("a", alice, aliceQueue))
        await registry.roomsLoaded([room], for: "a")
        await registry.apply(Self.joined(bob, room))
        await registry.apply(Self.left(alice, room))
        await registry.apply(Self.joined(bob, room))
        #expect(Self.received(aliceSocket) == ["user_joined@\(room.apiString)", "user_left@\(room.apiString)"])
    }

    @Test func changesRacingTheLoadAreNeitherLostNorUndone() async {
        let registry = ConnectionRegistry()
        let (alice, bob, kept, added, removed) = (UUID(), UUID(), UUID(), UUID(), UUID())
        let (queue, socket) = Self.queue()
        await registry.register(Self.session("a", alice, queue))
        // While rooms is still answering (with the list as it was before these changes):
        await registry.apply(Self.joined(alice, added))
        await registry.apply(Self.left(alice, removed))
        await registry.roomsLoaded([kept, removed], for: "a")
        for room in [kept, added, removed] { await registry.apply(Self.joined(bob, room)) }
        let j = { (room: UUID) in "user_joined@\(room.apiString)" }
        // Her own join as it happened, then bob's joins of the rooms she is in now.
        #expect(Self.received(socket) == [j(added), j(kept), j(added)])
    }

    @Test func aResyncReplacesTheRoomSetKeepingChangesMadeMeanwhile() async {
        let registry = ConnectionRegistry()
        let (alice, bob, stale, missed, addedDuring) = (UUID(), UUID(), UUID(), UUID(), UUID())
        let (queue, socket) = Self.queue()
        await registry.register(Self.session("a", alice, queue))
        await registry.roomsLoaded([stale], for: "a")
        // Events lost while unsubscribed: alice left `stale` and joined `missed`. A resync starts,
        // an event arrives during it, then rooms answers with the list from before that event.
        #expect(await registry.beginResync().map(\.sessionID) == ["a"])
        await registry.apply(Self.joined(alice, addedDuring))
        await registry.roomsLoaded([missed], for: "a")
        for room in [stale, missed, addedDuring] { await registry.apply(Self.joined(bob, room)) }
        let j = { (room: UUID) in "user_joined@\(room.apiString)" }
        #expect(Self.received(socket) == [j(addedDuring), j(missed), j(addedDuring)])
    }

    @Test func departedMembersAreToldWhetherTheyLeftOrTheRoomIsGone() async {
        let registry = ConnectionRegistry()
        let (alice, bob, room) = (UUID(), UUID(), UUID())
        let ((aliceQueue, aliceSocket), (bobQueue, bobSocket)) = (Self.queue(), Self.queue())
        await registry.register(Self.session("a", alice, aliceQueue))
        await registry.register(Self.session("b", bob, bobQueue))
        await registry.roomsLoaded([room], for: "a")
        await registry.roomsLoaded([room], for: "b")
        await registry.depart(AccessEpochs.Departure(roomId: room, userIds: [alice], roomDeleted: false))
        await registry.depart(AccessEpochs.Departure(roomId: room, userIds: [alice, bob], roomDeleted: true))
        #expect(Self.received(aliceSocket) == ["user_left@\(room.apiString)"], "told once, when she left")
        #expect(Self.received(bobSocket) == ["room_deleted@\(room.apiString)"])
    }

    /// Frames written and not yet taken by the socket count against the capacity with those waiting.
    @Test func anOverflowingQueueStopsAtOnce() {
        let (queue, socket) = Self.queue(capacity: 3, acknowledges: false)
        queue.send("1")
        queue.send("2")
        #expect(queue.closing == nil)
        queue.send("3")
        #expect(queue.closing == .tooSlow)
        queue.send("4")
        #expect(socket.written.dropFirst() == ["1", "2"])
    }

    @Test func aSocketThatKeepsUpIsNeverTooSlow() {
        let (queue, socket) = Self.queue(capacity: 3)
        for index in 0..<100 { queue.send("\(index)") }
        #expect(queue.closing == nil && socket.written.count == 101)
    }

    @Test func framesSentBeforeTheSocketOpensFollowItsFirstFrame() {
        let socket = RecordingSink()
        let queue = OutboundQueue(capacity: 4, sink: socket)
        queue.send("early")
        #expect(socket.written.isEmpty)
        queue.open(leadingWith: "ready")
        queue.send("later")
        #expect(socket.written == ["ready", "early", "later"])
    }

    @Test func anEndedLoginSessionsSocketsCloseAndGetNothingMore() async {
        let registry = ConnectionRegistry()
        let (alice, room, loggedOut, stillIn) = (UUID(), UUID(), UUID(), UUID())
        let ((phone, phoneSocket), (laptop, laptopSocket), (tablet, tabletSocket)) = (Self.queue(), Self.queue(), Self.queue())
        for (id, queue, login) in [("phone", phone, loggedOut), ("laptop", laptop, loggedOut), ("tablet", tablet, stillIn)] {
            await registry.register(Self.session(id, alice, queue, login: login))
            await registry.roomsLoaded([room], for: id)
        }
        #expect(await registry.loginSessionIDs() == [loggedOut, stillIn])
        await registry.endSessions([loggedOut])
        await registry.apply(Self.joined(UUID(), room))
        #expect(phone.closing == .sessionEnded && laptop.closing == .sessionEnded && tablet.closing == nil)
        #expect(Self.received(phoneSocket).isEmpty)
        #expect(Self.received(laptopSocket).isEmpty)
        #expect(Self.received(tabletSocket) == ["user_joined@\(room.apiString)"])
    }

    @Test func aSocketWhoseTokenExpiredEndsAtTheSweep() async {
        let registry = ConnectionRegistry()
        let now = Date()
        let ((expiring, _), (lasting, _)) = (Self.queue(), Self.queue())
        await registry.register(Self.session("expiring", UUID(), expiring, expiresAt: now.addingTimeInterval(60)))
        await registry.register(Self.session("lasting", UUID(), lasting, expiresAt: now.addingTimeInterval(3600)))
        await registry.endExpiredSessions(now: now.addingTimeInterval(59))
        #expect(expiring.closing == nil)
        await registry.endExpiredSessions(now: now.addingTimeInterval(60))
        #expect(expiring.closing == .sessionEnded && lasting.closing == nil)
    }
}
