import Foundation
import ServiceKit

/// One open WebSocket as the registry sees it: who it is and where its frames go. Frames are
/// queued (`send` never waits); the session's writer drains the queue onto the socket.
struct SessionHandle: Sendable {
    let id: String
    let userID: UUID
    let queue: AsyncStream<String>.Continuation
}

/// The WebSockets connected to this gateway instance and the rooms each receives. Room events
/// (from the backplane) are applied here: frames go to the room's sessions, and sessions gain or
/// lose rooms as memberships change, without reconnecting.
actor ConnectionRegistry {
    private struct Entry {
        let handle: SessionHandle
        var rooms: Set<UUID> = []
        /// Until the session's room list has loaded, membership changes are remembered here and
        /// applied over the list, so a change racing the load is not lost or undone.
        var loaded = false
        var joinedWhileLoading: Set<UUID> = []
        var leftWhileLoading: Set<UUID> = []
    }

    private var entries: [String: Entry] = [:]
    private var sessionsByUser: [UUID: Set<String>] = [:]
    private var sessionsByRoom: [UUID: Set<String>] = [:]

    func register(_ handle: SessionHandle) {
        entries[handle.id] = Entry(handle: handle)
        sessionsByUser[handle.userID, default: []].insert(handle.id)
    }

    /// The rooms the user was in when the session opened.
    func roomsLoaded(_ rooms: Set<UUID>, for sessionID: String) {
        guard var entry = entries[sessionID] else { return }
        let current = rooms.union(entry.joinedWhileLoading).subtracting(entry.leftWhileLoading)
        entry.loaded = true
        entry.joinedWhileLoading = []
        entry.leftWhileLoading = []
        entries[sessionID] = entry
        for room in current { add(room, to: sessionID) }
    }

    func unregister(_ sessionID: String) {
        guard let entry = entries.removeValue(forKey: sessionID) else { return }
        for room in entry.rooms { sessionsByRoom[room]?.remove(sessionID) }
        for room in entry.rooms where sessionsByRoom[room]?.isEmpty == true { sessionsByRoom[room] = nil }
        sessionsByUser[entry.handle.userID]?.remove(sessionID)
        if sessionsByUser[entry.handle.userID]?.isEmpty == true { sessionsByUser[entry.handle.userID] = nil }
    }

    func rooms(of sessionID: String) -> Set<UUID> {
        entries[sessionID]?.rooms ?? []
    }

    func apply(_ effect: RoomEventEffect) {
        for user in effect.joining {
            for sessionID in sessionsByUser[user] ?? [] { join(effect.roomID, session: sessionID) }
        }
        if let frame = effect.frame {
            let text = frame.text()
            for sessionID in sessionsByRoom[effect.roomID] ?? [] {
                guard let queue = entries[sessionID]?.handle.queue else { continue }
                // A full queue ends the session (see WebSocketEndpoint).
                if case .dropped = queue.yield(text) { queue.finish() }
            }
        }
        for user in effect.leaving {
            for sessionID in sessionsByUser[user] ?? [] { leave(effect.roomID, session: sessionID) }
        }
        if effect.roomGone {
            for sessionID in sessionsByRoom[effect.roomID] ?? [] { leave(effect.roomID, session: sessionID) }
            for sessionID in entries.keys where entries[sessionID]?.loaded == false { leave(effect.roomID, session: sessionID) }
        }
    }

    private func join(_ room: UUID, session sessionID: String) {
        guard let entry = entries[sessionID] else { return }
        if entry.loaded {
            add(room, to: sessionID)
        } else {
            entries[sessionID]?.joinedWhileLoading.insert(room)
            entries[sessionID]?.leftWhileLoading.remove(room)
        }
    }

    private func leave(_ room: UUID, session sessionID: String) {
        guard let entry = entries[sessionID] else { return }
        if !entry.loaded {
            entries[sessionID]?.leftWhileLoading.insert(room)
            entries[sessionID]?.joinedWhileLoading.remove(room)
            return
        }
        entries[sessionID]?.rooms.remove(room)
        sessionsByRoom[room]?.remove(sessionID)
        if sessionsByRoom[room]?.isEmpty == true { sessionsByRoom[room] = nil }
    }

    private func add(_ room: UUID, to sessionID: String) {
        entries[sessionID]?.rooms.insert(room)
        sessionsByRoom[room, default: []].insert(sessionID)
    }
}
