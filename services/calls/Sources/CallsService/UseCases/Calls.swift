import AuthAPI
import CallsAPI
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import RoomsAPI
import ServiceKit

/// What people do with calls: start one in a room, answer, decline, hang up, and pass each other
/// the WebRTC signalling (offers, answers, ICE candidates, mute state) through the gateway. Only
/// members of a room see its calls (to anyone else they do not exist: 404), and only a call's
/// participants signal in it.
struct Calls: Sendable {
    static let kinds: Set<String> = ["voice", "video"]
    /// What a participant may pass to another: WebRTC's offer, answer and ICE candidates, and
    /// whether their microphone and camera are on.
    static let signalTypes: Set<String> = ["offer", "answer", "ice", "mute"]
    static let maxSignalBytes = 64 * 1024

    let store: CallStore
    let outbox: Outbox
    let rooms: any RoomDirectory
    let users: any UserDirectory
    let publisher: SignalPublisher
    let clock: WallClock
    /// How long a call rings before it is missed (`RING_SECONDS`, 45).
    let ringSeconds: TimeInterval
    let logger: Logger

    func start(in room: UUID, kind: String, by user: UUID, session: String?) async throws -> Call {
        guard Self.kinds.contains(kind) else { throw AppError.validation(field: "kind", "kind must be voice or video") }
        let access = try await requireAccess(room, user, .post)
        // Independent lookups, made at once.
        async let foundRoster = rooms.roster(of: room)
        async let foundBlockers = rooms.blockers(of: user)
        async let caller = try? users.user(user)
        guard let roster = try await foundRoster else { throw AppError.notFound("room not found") }
        let ringing = CallRules.ringing(
            roster: roster.members.map { ($0.userID, $0.notificationLevel) }, roomType: access.roomType, caller: user,
            blockers: try await foundBlockers)
        guard !ringing.isEmpty else { throw AppError.conflict("nobody in the room can be called", code: "nobody_to_call") }
        let call = CallRules.newCall(room: room, kind: kind, caller: user, ringing: ringing, at: clock.now(), ringFor: ringSeconds)
        let callerName = await caller?.displayName
        try await outbox.transaction { tx in
            try await tx.lock(stream: room.apiString)
            guard try await store.insert(call, callerSession: session, on: tx.connection) else {
                throw AppError.conflict("the room has a call going on already", code: "call_in_progress")
            }
            try await tx.emit(
                CallEventType.started.rawValue, stream: room.apiString,
                data: CallChanged(roomId: room, call: call, ringingUserIds: ringing, callerName: callerName))
        }
        return call
    }

    func call(_ id: UUID, viewer: UUID) async throws -> Call {
        try await callAndAccess(id, viewer: viewer).call
    }

    /// The call and the viewer's standing in its room; not a member: 404.
    private func callAndAccess(_ id: UUID, viewer: UUID) async throws -> (call: Call, access: RoomAccess) {
        guard let call = try await store.call(id, on: store.db) else { throw AppError.notFound("call not found") }
        return (call, try await requireMember(call.roomId, viewer, notFound: "call not found"))
    }

    func liveCall(in room: UUID, viewer: UUID) async throws -> Call? {
        try await requireMember(room, viewer, notFound: "room not found")
        return try await store.liveCall(in: room)
    }

    /// Answers from `session` (the socket the answer came through; signals go there only).
    func accept(_ id: UUID, by user: UUID, session: String?) async throws -> Call {
        let (call, access) = try await callAndAccess(id, viewer: user)
        try access.require(.post)
        return try await change(id, in: call.roomId) { call in
            try CallRules.accept(&call, by: user, at: clock.now())
        } alongside: { connection in
            try await store.setSession(session, of: user, in: id, on: connection)
        }
    }

    func decline(_ id: UUID, by user: UUID) async throws -> Call {
        let call = try await self.call(id, viewer: user)
        return try await change(id, in: call.roomId) { call in try CallRules.decline(&call, by: user, at: clock.now()) }
    }

    func leave(_ id: UUID, by user: UUID) async throws -> Call {
        let call = try await self.call(id, viewer: user)
        return try await change(id, in: call.roomId) { call in try CallRules.leave(&call, by: user, at: clock.now()) }
    }

    /// Rings out every call whose ringing time passed (the sweep, each second).
    func ringOut() async throws {
        let now = clock.now()
        for (id, room) in try await store.ringingPast(now, limit: 100) {
            _ = try await change(id, in: room) { call in CallRules.ringOut(&call, at: now) }
        }
    }

    /// Passes `data` of `type` from `user` to the call's other participant `to` (all of them but
    /// the sender when nil, as for mute state), as the frame `call_<type>` on the socket they
    /// answered from. Only between participants who are in the call.
    func signal(_ type: String, data: JSONValue, to recipient: UUID?, in id: UUID, from user: UUID) async throws {
        guard Self.signalTypes.contains(type) else { throw AppError.validation(field: "type", "type must be offer, answer, ice or mute") }
        guard case .object = data else { throw AppError.validation(field: "data", "data must be an object") }
        let call = try await self.call(id, viewer: user)
        guard call.participant(user)?.state == "joined" else {
            throw AppError.forbidden("only the call's participants signal in it", code: "not_in_call")
        }
        let sessions = try await store.sessions(of: id)
        let recipients = recipient.map { [$0] } ?? sessions.keys.filter { $0 != user }
        guard recipient == nil || (recipient != user && sessions[recipient!] != nil) else {
            throw AppError.conflict("the recipient is not in the call", code: "recipient_not_in_call")
        }
        let frame = JSONValue.object([
            "type": .string("call_\(type)"),
            "data": .object([
                "call_id": .string(id.apiString), "room_id": .string(call.roomId.apiString), "from_user_id": .string(user.apiString), "data": data,
            ]),
        ])
        let text = frame.jsonText
        guard text.utf8.count <= Self.maxSignalBytes else { throw AppError.payloadTooLarge(limit: Self.maxSignalBytes) }
        for recipient in recipients {
            // The answering tab when known; otherwise (a REST client) every session of theirs.
            if case .some(.some(let session)) = sessions[recipient] {
                try await publisher.publish(RealtimeSignal(frame: text, sessions: [session]))
            } else {
                try await publisher.publish(RealtimeSignal(frame: text, users: [recipient]))
            }
        }
    }

    /// Applies `rule` to the call under its lock and emits what came of it: `call_updated`, or
    /// `call_ended` with the room's line when it ended.
    private func change(
        _ id: UUID, in room: UUID, _ rule: (inout Call) throws -> Void,
        alongside: (PostgresConnection) async throws -> Void = { _ in }
    ) async throws -> Call {
        try await outbox.transaction { tx in
            try await tx.lock(stream: room.apiString)
            guard var call = try await store.lock(id, on: tx.connection) else { throw AppError.notFound("call not found") }
            let before = call
            try rule(&call)
            try await alongside(tx.connection)
            guard call != before else { return call }
            try await store.update(call, on: tx.connection)
            let ended = !call.isLive
            try await tx.emit(
                (ended ? CallEventType.ended : .updated).rawValue, stream: room.apiString,
                data: CallChanged(roomId: room, call: call, summary: ended ? CallRules.summary(of: call) : nil))
            return call
        }
    }

    @discardableResult
    private func requireMember(_ room: UUID, _ user: UUID, notFound: String) async throws -> RoomAccess {
        guard let access = try await rooms.access(of: user, in: room), access.isMember else { throw AppError.notFound(notFound) }
        return access
    }

    @discardableResult
    private func requireAccess(_ room: UUID, _ user: UUID, _ action: RoomAction) async throws -> RoomAccess {
        guard let access = try await rooms.access(of: user, in: room), access.isMember else { throw AppError.notFound("room not found") }
        try access.require(action)
        return access
    }
}
