import Foundation
import NIOCore
import RoomsAPI
import ServiceKit

/// One open WebSocket as the registry sees it: who it is, the login session its token belongs to
/// and when that token expires, and where its frames go (the session's writer drains the queue
/// onto the socket).
struct SessionHandle: Sendable {
    let id: String
    let userID: UUID
    let loginSessionID: UUID
    let expiresAt: Date
    let outbound: OutboundQueue
}

/// The WebSockets connected to this gateway instance and the rooms each receives. Room events
/// (from the backplane) are applied here: frames go to the room's sessions, and sessions gain or
/// lose rooms as memberships change, without reconnecting.
actor ConnectionRegistry {
    private struct Entry {
        let handle: SessionHandle
        var rooms: Set<UUID> = []
        /// While the session's room list (re)loads, membership changes apply at once and are
        /// also remembered here, to be applied over the list: a change racing the load is
        /// neither lost nor undone.
        var loaded = false
        var joinedWhileLoading: Set<UUID> = []
        var leftWhileLoading: Set<UUID> = []
        /// The room the user is looking at (`join_room`); typing needs it.
        var currentRoom: UUID?
        /// While a `resume` replays missed events, live frames wait here, so none goes out before
        /// the older ones replayed.
        var replaying = false
        var heldDuringReplay: [(sequence: Int64, frame: ByteBuffer)] = []
        /// The number of the first room event sent live: from it on, the session missed nothing,
        /// so a replay stops short of it.
        var firstLiveSequence: Int64?
    }

    private var entries: [String: Entry] = [:]
    private var sessionsByUser: [UUID: Set<String>] = [:]
    private var sessionsByRoom: [UUID: Set<String>] = [:]

    func register(_ handle: SessionHandle) {
        entries[handle.id] = Entry(handle: handle)
        sessionsByUser[handle.userID, default: []].insert(handle.id)
    }

    /// The rooms the user is in, as rooms answered after the session opened or was resynced.
    func roomsLoaded(_ rooms: Set<UUID>, for sessionID: String) {
        guard let entry = entries[sessionID] else { return }
        let current = rooms.union(entry.joinedWhileLoading).subtracting(entry.leftWhileLoading)
        for room in entry.rooms.subtracting(current) { remove(room, from: sessionID) }
        for room in current { add(room, to: sessionID) }
        entries[sessionID]?.loaded = true
        entries[sessionID]?.joinedWhileLoading = []
        entries[sessionID]?.leftWhileLoading = []
    }

    /// A reload that failed: the session keeps the rooms it has, with the changes since applied.
    func reloadFailed(for sessionID: String) {
        entries[sessionID]?.loaded = true
        entries[sessionID]?.joinedWhileLoading = []
        entries[sessionID]?.leftWhileLoading = []
    }

    /// Tells every session to fetch each of its rooms again (`refetch_required`): events were
    /// published while this instance could not hear them.
    func askEverySessionToRefetch() {
        for entry in entries.values {
            for room in entry.rooms { entry.handle.outbound.send(ServerFrame.refetchRequired(room).text()) }
        }
    }

    /// Puts every session back into loading and returns them, for a reload of their room lists.
    func beginResync() -> [(sessionID: String, userID: UUID)] {
        for sessionID in entries.keys { entries[sessionID]?.loaded = false }
        return entries.map { ($0.key, $0.value.handle.userID) }
    }

    func unregister(_ sessionID: String) {
        guard let entry = entries.removeValue(forKey: sessionID) else { return }
        for room in entry.rooms { sessionsByRoom[room]?.remove(sessionID) }
        for room in entry.rooms where sessionsByRoom[room]?.isEmpty == true { sessionsByRoom[room] = nil }
        sessionsByUser[entry.handle.userID]?.remove(sessionID)
        if sessionsByUser[entry.handle.userID]?.isEmpty == true { sessionsByUser[entry.handle.userID] = nil }
    }

    func apply(_ effect: RoomEventEffect) {
        for user in effect.joining {
            for sessionID in sessionsByUser[user] ?? [] { join(effect.roomID, session: sessionID) }
        }
        if let frame = effect.frame {
            // Encoded once, its bytes shared by every socket it goes to.
            let bytes = ByteBuffer(string: frame.text())
            for sessionID in sessionsByRoom[effect.roomID] ?? [] { sendEvent(bytes, sequence: effect.sequence, to: sessionID) }
        }
        for user in effect.leaving {
            for sessionID in sessionsByUser[user] ?? [] { leave(effect.roomID, session: sessionID) }
        }
        if effect.roomGone {
            for sessionID in sessionsByRoom[effect.roomID] ?? [] { leave(effect.roomID, session: sessionID) }
            // A list still loading may come back with the room in it.
            for sessionID in entries.keys where entries[sessionID]?.loaded == false { leave(effect.roomID, session: sessionID) }
        }
    }

    /// Members who lost a room, as rooms published it before answering (`AccessEpochs.Departure`):
    /// their sessions stop getting its events now, not when rooms' event arrives. Each is told
    /// with the frame it would have had from that event: `user_left`, or `room_deleted`.
    func depart(_ departure: AccessEpochs.Departure) {
        let room = JSONValue.string(departure.roomId.apiString)
        for user in departure.userIds {
            for sessionID in sessionsByUser[user] ?? [] {
                guard let entry = entries[sessionID] else { continue }
                if entry.rooms.contains(departure.roomId) {
                    let frame = departure.roomDeleted
                        ? ServerFrame(type: "room_deleted", data: .object(["room_id": room]), ref: nil)
                        : ServerFrame(type: "user_left", data: .object(["room_id": room, "user_id": .string(user.apiString)]), ref: nil)
                    entry.handle.outbound.send(frame.text())
                }
                leave(departure.roomId, session: sessionID)
            }
        }
    }

    /// A frame that is no room event (typing, presence, notifications, a match's state, a call's
    /// signalling) to the sessions in its rooms, of its users, named in `sessions` and looking at
    /// its `viewersOf` rooms.
    func deliver(_ signal: RealtimeSignal) {
        var targets = Set<String>()
        for room in signal.rooms { targets.formUnion(sessionsByRoom[room] ?? []) }
        for user in signal.users { targets.formUnion(sessionsByUser[user] ?? []) }
        targets.formUnion(signal.sessions)
        for room in signal.viewersOf {
            targets.formUnion((sessionsByRoom[room] ?? []).filter { entries[$0]?.currentRoom == room })
        }
        if let excluded = signal.exceptUser { targets.subtract(sessionsByUser[excluded] ?? []) }
        let bytes = ByteBuffer(string: signal.frame)
        for sessionID in targets { entries[sessionID]?.handle.outbound.send(bytes) }
    }

    func sessions() -> [(sessionID: String, userID: UUID)] {
        entries.map { ($0.key, $0.value.handle.userID) }
    }

    /// The login sessions of this instance's sockets, for a check against the revocations.
    func loginSessionIDs() -> Set<UUID> {
        Set(entries.values.map(\.handle.loginSessionID))
    }

    /// Closes every socket of these login sessions (4001 `session_ended`). Their queues take no
    /// frame from now on; each socket then leaves the registry as any closing socket does.
    func endSessions(_ loginSessionIDs: Set<UUID>) {
        for entry in entries.values where loginSessionIDs.contains(entry.handle.loginSessionID) {
            entry.handle.outbound.end(.sessionEnded)
        }
    }

    /// Closes every socket whose token expired by `now` (4001 `session_ended`).
    func endExpiredSessions(now: Date) {
        for entry in entries.values where entry.handle.expiresAt <= now {
            entry.handle.outbound.end(.sessionEnded)
        }
    }

    func rooms(of sessionID: String) -> Set<UUID> {
        entries[sessionID]?.rooms ?? []
    }

    /// Marks the room the session looks at; false when the session is not in that room.
    func setCurrentRoom(_ room: UUID, for sessionID: String) -> Bool {
        guard entries[sessionID]?.rooms.contains(room) == true else { return false }
        entries[sessionID]?.currentRoom = room
        return true
    }

    /// Clears the room the session looks at (any room when `room` is nil); returns what it was.
    func clearCurrentRoom(_ room: UUID?, for sessionID: String) -> UUID? {
        guard let current = entries[sessionID]?.currentRoom, room == nil || room == current else { return nil }
        entries[sessionID]?.currentRoom = nil
        return current
    }

    func currentRoom(of sessionID: String) -> UUID? {
        entries[sessionID]?.currentRoom
    }

    /// Holds the session's live frames until `finishReplay`; returns its rooms, whose missed
    /// events are to be replayed.
    func beginReplay(for sessionID: String) -> Set<UUID> {
        entries[sessionID]?.replaying = true
        return entries[sessionID]?.rooms ?? []
    }

    /// Sends the replayed frames (oldest first) that the session did not get live, then the live
    /// ones held meanwhile that the replay did not include; returns how many it replayed.
    func finishReplay(_ frames: [(sequence: Int64, text: String)], for sessionID: String) -> Int {
        guard let entry = entries[sessionID] else { return 0 }
        entries[sessionID]?.replaying = false
        entries[sessionID]?.heldDuringReplay = []
        let missed = frames.filter { $0.sequence < (entry.firstLiveSequence ?? .max) }
        for frame in missed { sendEvent(ByteBuffer(string: frame.text), sequence: frame.sequence, to: sessionID) }
        let replayedUpTo = missed.last?.sequence ?? 0
        for held in entry.heldDuringReplay where held.sequence > replayedUpTo { sendEvent(held.frame, sequence: held.sequence, to: sessionID) }
        return missed.count
    }

    private func sendEvent(_ frame: ByteBuffer, sequence: Int64, to sessionID: String) {
        guard let entry = entries[sessionID] else { return }
        if entry.replaying {
            entries[sessionID]?.heldDuringReplay.append((sequence, frame))
            return
        }
        if entry.firstLiveSequence == nil { entries[sessionID]?.firstLiveSequence = sequence }
        entry.handle.outbound.send(frame)
    }

    private func join(_ room: UUID, session sessionID: String) {
        guard let entry = entries[sessionID] else { return }
        add(room, to: sessionID)
        if !entry.loaded {
            entries[sessionID]?.joinedWhileLoading.insert(room)
            entries[sessionID]?.leftWhileLoading.remove(room)
        }
    }

    private func leave(_ room: UUID, session sessionID: String) {
        guard let entry = entries[sessionID] else { return }
        remove(room, from: sessionID)
        if !entry.loaded {
            entries[sessionID]?.leftWhileLoading.insert(room)
            entries[sessionID]?.joinedWhileLoading.remove(room)
        }
    }

    private func add(_ room: UUID, to sessionID: String) {
        entries[sessionID]?.rooms.insert(room)
        sessionsByRoom[room, default: []].insert(sessionID)
    }

    private func remove(_ room: UUID, from sessionID: String) {
        entries[sessionID]?.rooms.remove(room)
        if entries[sessionID]?.currentRoom == room { entries[sessionID]?.currentRoom = nil }
        sessionsByRoom[room]?.remove(sessionID)
        if sessionsByRoom[room]?.isEmpty == true { sessionsByRoom[room] = nil }
    }
}
