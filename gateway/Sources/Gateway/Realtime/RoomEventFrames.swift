import CallsAPI
import Foundation
import GamesAPI
import MessagesAPI
import RoomsAPI
import ServiceKit

/// What one rooms event means for connected clients: whose sessions gain or lose a room, and
/// which frame goes to the room's sessions. Pure, so the mapping is tested on its own.
struct RoomEventEffect: Equatable {
    /// Sessions of these users start receiving the room's events (before `frame` goes out, so
    /// a joining user sees their own `user_joined`).
    var joining: [UUID] = []
    /// Sessions of these users stop receiving the room's events (after `frame` goes out, so a
    /// removed user learns of it).
    var leaving: [UUID] = []
    /// The room stops existing for everyone.
    var roomGone = false
    var frame: ServerFrame?
    let roomID: UUID
    /// The event's place in the gateways' own order (see `EventIntake`), 0 before it has one.
    var sequence: Int64 = 0

    /// A frame's `event_id`: the sequence, zero-padded so that ids also order as strings.
    static func eventID(_ sequence: Int64) -> String {
        let digits = String(sequence)
        return String(repeating: "0", count: max(0, 16 - digits.count)) + digits
    }

    static func of(_ event: Event, sequence: Int64 = 0) -> RoomEventEffect? {
        guard var effect = effect(of: event, eventID: eventID(sequence)) else { return nil }
        effect.sequence = sequence
        return effect
    }

    /// Each event is read through its producer's type (`RoomsAPI`, `MessagesAPI`, `GamesAPI`, `CallsAPI`): a payload that
    /// no longer fits the contract makes no frame (and fails the gateway's tests, which write the
    /// events as those types). The objects a frame carries (the message, the room, the user) are
    /// API.md's and pass on as they came.
    private static func effect(of event: Event, eventID: String) -> RoomEventEffect? {
        if let type = RoomEventType(rawValue: event.type) { return roomEffect(type, of: event, eventID: eventID) }
        if let type = MessageEventType(rawValue: event.type) { return messageEffect(type, of: event, eventID: eventID) }
        if let type = GameEventType(rawValue: event.type) { return gameEffect(type, of: event, eventID: eventID) }
        if let type = CallEventType(rawValue: event.type) { return callEffect(type, of: event, eventID: eventID) }
        return nil
    }

    private static func roomEffect(_ type: RoomEventType, of event: Event, eventID: String) -> RoomEventEffect? {
        switch type {
        case .roomCreated:
            guard let created = read(RoomCreated.self, event) else { return nil }
            return RoomEventEffect(joining: created.memberIds, roomID: created.room.id)
        case .memberJoined:
            guard let joined = read(MemberJoined.self, event), let user = event.data["user"] else { return nil }
            let frame = frame("user_joined", ["room_id": .string(joined.roomId.apiString), "user": user], eventID: eventID)
            return RoomEventEffect(joining: [joined.user.id], frame: frame, roomID: joined.roomId)
        case .memberLeft:
            return read(MemberLeft.self, event).map { userLeft($0.userId, $0.roomId, eventID: eventID) }
        case .memberRemoved:
            return read(MemberRemoved.self, event).map { userLeft($0.userId, $0.roomId, eventID: eventID) }
        case .memberBanned:
            // A ban of someone who was not in the room changes nobody's view of it.
            guard let banned = read(MemberBanned.self, event), banned.wasMember else { return nil }
            return userLeft(banned.userId, banned.roomId, eventID: eventID)
        case .roomDeleted:
            guard let deleted = read(RoomDeleted.self, event) else { return nil }
            let frame = frame("room_deleted", ["room_id": .string(deleted.roomId.apiString)], eventID: eventID)
            return RoomEventEffect(roomGone: true, frame: frame, roomID: deleted.roomId)
        case .roomUpdated:
            guard let updated = read(RoomUpdated.self, event), case .object(var room)? = event.data["room"] else { return nil }
            // The room as every member sees it: the updater's own role, unread count and
            // notification level are theirs alone.
            for key in ["my_role", "unread_count", "notification_level"] { room[key] = nil }
            let frame = frame("room_updated", ["room_id": .string(updated.room.id.apiString), "room": .object(room)], eventID: eventID)
            return RoomEventEffect(frame: frame, roomID: updated.room.id)
        case .memberRoleChanged:
            return read(MemberRoleChanged.self, event).map { passOn(event, roomID: $0.roomId, eventID: eventID, keys: ["room_id", "user_id", "role"]) }
        case .memberMuted, .memberUnbanned, .inviteCreated, .inviteRevoked, .userBlocked, .userUnblocked:
            return nil
        }
    }

    private static func messageEffect(_ type: MessageEventType, of event: Event, eventID: String) -> RoomEventEffect? {
        let roomID: UUID?
        let keys: [String]
        switch type {
        case .messageCreated:
            (roomID, keys) = (read(MessageCreated.self, event)?.roomId, ["room_id", "message"])
        case .messageUpdated:
            (roomID, keys) = (read(MessageUpdated.self, event)?.roomId, ["room_id", "message"])
        case .messageDeleted:
            (roomID, keys) = (read(MessageDeleted.self, event)?.roomId, ["room_id", "message_id"])
        case .messageUnpinned:
            (roomID, keys) = (read(MessageUnpinned.self, event)?.roomId, ["room_id", "message_id"])
        case .reactionAdded, .reactionRemoved:
            (roomID, keys) = (read(ReactionChanged.self, event)?.roomId, ["room_id", "message_id", "user", "emoji"])
        case .messagePinned:
            (roomID, keys) = (read(MessagePinned.self, event)?.roomId, ["room_id", "message", "pinned_by"])
        case .messageRead:
            // Not `unread_count`: that is the reader's own business.
            (roomID, keys) = (read(MessageRead.self, event)?.roomId, ["room_id", "user_id", "message_id", "read_at"])
        case .reportCreated:
            return nil
        }
        return roomID.map { passOn(event, roomID: $0, eventID: eventID, keys: keys) }
    }

    /// Games' invitations and matches as frames of the event's own type. `game_invited` makes
    /// none: the invitation reaches the room as messages' `message_created` (type `game`).
    private static func gameEffect(_ type: GameEventType, of event: Event, eventID: String) -> RoomEventEffect? {
        switch type {
        case .invited:
            return nil
        case .invitationUpdated:
            return read(GameInvitationUpdated.self, event).map { passOn(event, roomID: $0.roomId, eventID: eventID, keys: ["room_id", "invitation"]) }
        case .matchStarted, .matchFinished:
            return read(GameMatchChanged.self, event).map { passOn(event, roomID: $0.roomId, eventID: eventID, keys: ["room_id", "match"]) }
        }
    }

    /// A call's course as frames for the room: `call_ringing` (whom it rings, who calls), then
    /// `call_updated` and `call_ended`. A tab rings while its user's participant is `ringing`.
    private static func callEffect(_ type: CallEventType, of event: Event, eventID: String) -> RoomEventEffect? {
        let (name, keys): (String, [String]) = switch type {
        case .started: ("call_ringing", ["room_id", "call", "ringing_user_ids", "caller_name"])
        case .updated: ("call_updated", ["room_id", "call"])
        case .ended: ("call_ended", ["room_id", "call", "summary"])
        }
        return read(CallChanged.self, event).map { passOn(event, as: name, roomID: $0.roomId, eventID: eventID, keys: keys) }
    }

    private static func read<T: Decodable>(_ type: T.Type, _ event: Event) -> T? {
        try? JSONValueDecoder.decode(type, from: event.data)
    }

    private static func frame(_ type: String, _ data: [String: JSONValue], eventID: String) -> ServerFrame {
        ServerFrame(type: type, data: .object(data), ref: nil, eventID: eventID)
    }

    private static func userLeft(_ userID: UUID, _ roomID: UUID, eventID: String) -> RoomEventEffect {
        let frame = frame("user_left", ["room_id": .string(roomID.apiString), "user_id": .string(userID.apiString)], eventID: eventID)
        return RoomEventEffect(leaving: [userID], frame: frame, roomID: roomID)
    }

    /// A frame of the event's own type (or `type`) to the room's sessions, with the payload's
    /// `keys` (the rest is for other consumers: mentions for notify, and the like).
    private static func passOn(_ event: Event, as type: String? = nil, roomID: UUID, eventID: String, keys: [String]) -> RoomEventEffect {
        // An object: its producer's type was just read from it.
        let data: [String: JSONValue] = if case .object(let fields) = event.data { fields } else { [:] }
        return RoomEventEffect(frame: frame(type ?? event.type, data.filter { keys.contains($0.key) }, eventID: eventID), roomID: roomID)
    }
}

extension ServerFrame: Equatable {
    static func == (lhs: ServerFrame, rhs: ServerFrame) -> Bool {
        lhs.type == rhs.type && lhs.data == rhs.data && lhs.ref == rhs.ref && lhs.eventID == rhs.eventID
    }
}
