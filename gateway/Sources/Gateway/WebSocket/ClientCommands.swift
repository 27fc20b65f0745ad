import Foundation
import ServiceKit
import Tracing

/// What the gateway does with each frame a client sends (API.md "WebSocket"): `ping`,
/// `join_room`, `leave_room`, `typing_start`, `typing_stop`, `send_message`, `read_message`,
/// `get_presence`, `resume`, `pong_input` and the call frames (`call_invite`, `call_accept`,
/// `call_decline`, `call_hangup`, and the signalling `call_offer`, `call_answer`, `call_ice`,
/// `call_mute`). A frame with a `ref` is answered with `ack` (or `error`); errors are sent either way.
struct ClientCommands: Sendable {
    let messages: ServicePeer
    let games: ServicePeer
    let calls: ServicePeer
    let registry: ConnectionRegistry
    let typing: TypingTracker
    let buffer: RoomEventBuffer
    let presence: Presence
    /// At most this many frames are replayed at once (below the socket's queue, which a bigger
    /// replay would overflow); rooms beyond it are told to refetch instead.
    let maxReplayFrames: Int
    /// Each frame but `ping` is a span (`WS send_message`), the parent of the calls it makes.
    let tracer: any Tracer

    static let frameTypes: Set<String> = [
        "join_room", "leave_room", "typing_start", "typing_stop", "send_message", "read_message", "get_presence", "resume", "pong_input",
        "call_invite", "call_accept", "call_decline", "call_hangup", "call_offer", "call_answer", "call_ice", "call_mute",
    ]

    /// The connection a frame came in on.
    struct Session: Sendable {
        let id: String
        let userID: UUID
        let token: String
        /// The client's address as the upgrade request showed it, passed on with its REST calls.
        let clientAddress: String?
        let outbound: OutboundQueue
    }

    /// The reply owed to `text`, if any.
    func answer(_ text: String, from session: Session) async -> ServerFrame? {
        guard let frame = try? JSONDecoder().decode(ClientFrame.self, from: Data(text.utf8)) else {
            return .error(code: "bad_request", message: "frame must be a JSON object with a string \"type\"", ref: nil)
        }
        if frame.type == "ping" { return .pong(ref: frame.ref) }
        // Named by the frame's type when it is one of API.md's (anything else would be a new name per frame).
        let span = tracer.startSpan("WS \(Self.frameTypes.contains(frame.type) ? frame.type : "unknown")", ofKind: .server)
        defer { span.end() }
        do {
            try StorableText.require(frame.type, field: "type")
            let reply = try await InstrumentationContext.$current.withValue(span.context) { try await perform(frame, from: session) }
            return frame.ref == nil ? nil : .ack(reply, ref: frame.ref)
        } catch let error as AppError {
            span.updateAttributes { $0["error.type"] = error.code }
            return .error(error, ref: frame.ref)
        } catch {
            span.recordError(error)
            return .error(code: "internal_error", message: "the frame could not be handled", ref: frame.ref)
        }
    }

    /// The answer to a frame the socket's budget refused: `rate_limited`, with the frame's `ref`.
    static func refused(_ text: String?) -> ServerFrame {
        let ref = text.flatMap { try? JSONDecoder().decode(ClientFrame.self, from: Data($0.utf8)) }?.ref
        return .error(code: "rate_limited", message: "too many frames: this one was dropped, slow down", ref: ref)
    }

    /// Ends what the session left running (its typing indicator) and lets it go; its user appears
    /// offline if it was their last connection.
    func sessionClosed(_ session: Session) async {
        if let room = await registry.clearCurrentRoom(nil, for: session.id) { await typing.end(user: session.userID, room: room) }
        let rooms = await registry.rooms(of: session.id)
        await registry.unregister(session.id)
        await presence.disconnected(user: session.userID, session: session.id, rooms: rooms)
    }

    private func perform(_ frame: ClientFrame, from session: Session) async throws -> JSONValue {
        let data = frame.data ?? .object([:])
        switch frame.type {
        case "join_room":
            let room = try Self.id(data, "room_id")
            guard await registry.setCurrentRoom(room, for: session.id) else { throw AppError.notFound("room not found") }
            await presence.lookingAt(user: session.userID, room: room)
            return .object(["room_id": .string(room.apiString)])
        case "get_presence":
            let room = try Self.id(data, "room_id")
            guard await registry.rooms(of: session.id).contains(room), let statuses = try await presence.snapshot(ofRoom: room) else {
                throw AppError.notFound("room not found")
            }
            return .object([
                "room_id": .string(room.apiString),
                "presence": .object(Dictionary(uniqueKeysWithValues: statuses.map { ($0.key.apiString, JSONValue.string($0.value)) })),
            ])
        case "leave_room":
            let room = try Self.id(data, "room_id")
            if await registry.clearCurrentRoom(room, for: session.id) != nil {
                await typing.end(user: session.userID, room: room)
                await presence.lookingAt(user: session.userID, room: nil)
            }
            return .object(["room_id": .string(room.apiString)])
        case "typing_start":
            let room = try Self.id(data, "room_id")
            guard await registry.currentRoom(of: session.id) == room else {
                throw AppError(.conflict, code: "room_not_joined", message: "send join_room for this room before typing_start")
            }
            await typing.start(user: session.userID, room: room)
            return .object(["room_id": .string(room.apiString)])
        case "typing_stop":
            let room = try Self.id(data, "room_id")
            await typing.stop(user: session.userID, room: room)
            return .object(["room_id": .string(room.apiString)])
        case "send_message":
            let room = try Self.id(data, "room_id")
            guard case .object(var body) = data else { throw AppError.badRequest("data must be an object") }
            body["room_id"] = nil
            await typing.end(user: session.userID, room: room)
            return try await messages.post(
                "/rooms/\(room.apiString)/messages", body: .object(body), token: session.token, clientAddress: session.clientAddress)
        case "read_message":
            let message = try Self.id(data, "message_id")
            return try await messages.post(
                "/messages/\(message.apiString)/read", body: .object([:]), token: session.token, clientAddress: session.clientAddress)
        case "pong_input":
            // `{match_id, direction, seq}`: games answers for the match (players only).
            let match = try Self.id(data, "match_id")
            guard case .object(var body) = data else { throw AppError.badRequest("data must be an object") }
            body["match_id"] = nil
            return try await games.post(
                "/games/matches/\(match.apiString)/input", body: .object(body), token: session.token, clientAddress: session.clientAddress)
        case "call_invite":
            // The call's answering tab is this socket: its signals come here.
            let room = try Self.id(data, "room_id")
            return try await calls.post(
                "/rooms/\(room.apiString)/calls", body: .object(["kind": data["kind"] ?? .null, "session_id": .string(session.id)]),
                token: session.token, clientAddress: session.clientAddress)
        case "call_accept", "call_decline", "call_hangup":
            let call = try Self.id(data, "call_id")
            let (action, body): (String, JSONValue) = switch frame.type {
            case "call_accept": ("accept", .object(["session_id": .string(session.id)]))
            case "call_decline": ("decline", .object([:]))
            default: ("leave", .object([:]))
            }
            return try await calls.post("/calls/\(call.apiString)/\(action)", body: body, token: session.token, clientAddress: session.clientAddress)
        case "call_offer", "call_answer", "call_ice", "call_mute":
            // `{call_id, to_user_id?, data}`: calls passes it on only between the call's participants.
            let call = try Self.id(data, "call_id")
            return try await calls.post(
                "/calls/\(call.apiString)/signal",
                body: .object([
                    "type": .string(String(frame.type.dropFirst("call_".count))), "to_user_id": data["to_user_id"] ?? .null, "data": data["data"] ?? .null,
                ]),
                token: session.token, clientAddress: session.clientAddress)
        case "resume":
            guard case .object(let fields) = data, case .string(let text)? = fields["last_event_id"], let last = Int64(text), last >= 0 else {
                throw AppError.validation(field: "last_event_id", "last_event_id must be the event_id of a frame")
            }
            return try await resume(after: last, session: session)
        default:
            throw AppError(.badRequest, code: "unknown_type", message: "unknown frame type \"\(frame.type.prefix(40))\"")
        }
    }

    /// Replays the events of the session's rooms after event number `last` that the gateway
    /// still has, then lets live events flow again. Rooms it can no longer answer for, or that
    /// would make the replay too big, get a `refetch_required` frame (fetch with
    /// `GET /rooms/:id/messages?after=`).
    private func resume(after last: Int64, session: Session) async throws -> JSONValue {
        let rooms = await registry.beginReplay(for: session.id)
        var replay: RoomEventBuffer.Replay
        do {
            replay = try await buffer.replay(rooms: rooms, after: last)
        } catch {
            _ = await registry.finishReplay([], for: session.id)
            throw AppError.serviceUnavailable("redis", internalDetail: "\(error)")
        }
        var frames = replay.events.compactMap { entry -> (room: UUID, sequence: Int64, text: String)? in
            guard let effect = RoomEventEffect.of(entry.event, sequence: entry.sequence), rooms.contains(effect.roomID),
                let frame = effect.frame
            else { return nil }
            return (effect.roomID, entry.sequence, frame.text())
        }
        // The busiest rooms are refetched rather than replayed until the rest fits.
        while frames.count > maxReplayFrames {
            let counts = Dictionary(grouping: frames, by: \.room).mapValues(\.count)
            guard let busiest = counts.max(by: { $0.value < $1.value })?.key else { break }
            replay.refetch.append(busiest)
            frames.removeAll { $0.room == busiest }
        }
        let replayed = await registry.finishReplay(frames.map { ($0.sequence, $0.text) }, for: session.id)
        for room in replay.refetch {
            session.outbound.send(ServerFrame.refetchRequired(room).text())
        }
        return .object([
            "replayed": .number(Double(replayed)),
            "refetch_room_ids": .array(replay.refetch.map { .string($0.apiString) }),
        ])
    }

    private static func id(_ data: JSONValue, _ key: String) throws -> UUID {
        guard case .object(let fields) = data, case .string(let text)? = fields[key], let id = UUID(uuidString: text) else {
            throw AppError.validation(field: key, "\(key) must be an id")
        }
        return id
    }
}
