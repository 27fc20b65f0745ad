import Foundation
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

    private static func effect(of event: Event, eventID: String) -> RoomEventEffect? {
        guard case .object(let data) = event.data else { return nil }
        switch event.type {
        case "room_created":
            guard case .object(let room)? = data["room"], let roomID = room["id"]?.uuid else { return nil }
            return RoomEventEffect(joining: data["member_ids"]?.uuids ?? [], roomID: roomID)
        case "member_joined":
            guard let roomID = data["room_id"]?.uuid, let user = data["user"], case .object(let fields) = user,
                let userID = fields["id"]?.uuid
            else { return nil }
            let frame = ServerFrame(type: "user_joined", data: .object(["room_id": .string(roomID.apiString), "user": user]), ref: nil, eventID: eventID)
            return RoomEventEffect(joining: [userID], frame: frame, roomID: roomID)
        case "member_left", "member_removed", "member_banned":
            guard let roomID = data["room_id"]?.uuid, let userID = data["user_id"]?.uuid else { return nil }
            // A ban of someone who was not in the room changes nobody's view of it.
            if event.type == "member_banned", case .bool(false)? = data["was_member"] { return nil }
            let frame = ServerFrame(
                type: "user_left", data: .object(["room_id": .string(roomID.apiString), "user_id": .string(userID.apiString)]),
                ref: nil, eventID: eventID)
            return RoomEventEffect(leaving: [userID], frame: frame, roomID: roomID)
        case "room_deleted":
            guard let roomID = data["room_id"]?.uuid else { return nil }
            let frame = ServerFrame(type: "room_deleted", data: .object(["room_id": .string(roomID.apiString)]), ref: nil, eventID: eventID)
            return RoomEventEffect(roomGone: true, frame: frame, roomID: roomID)
        case "room_updated":
            guard case .object(var room)? = data["room"], let roomID = room["id"]?.uuid else { return nil }
            // The room as every member sees it: the updater's own role, unread count and
            // notification level are theirs alone.
            for key in ["my_role", "unread_count", "notification_level"] { room[key] = nil }
            let frame = ServerFrame(type: "room_updated", data: .object(["room_id": .string(roomID.apiString), "room": .object(room)]), ref: nil, eventID: eventID)
            return RoomEventEffect(frame: frame, roomID: roomID)
        case "member_role_changed":
            return passOn(event, eventID: eventID, keys: ["room_id", "user_id", "role"])
        case "message_created", "message_updated":
            return passOn(event, eventID: eventID, keys: ["room_id", "message"])
        case "message_deleted", "message_unpinned":
            return passOn(event, eventID: eventID, keys: ["room_id", "message_id"])
        case "reaction_added", "reaction_removed":
            return passOn(event, eventID: eventID, keys: ["room_id", "message_id", "user", "emoji"])
        case "message_pinned":
            return passOn(event, eventID: eventID, keys: ["room_id", "message", "pinned_by"])
        case "message_read":
            // Not `unread_count`: that is the reader's own business.
            return passOn(event, eventID: eventID, keys: ["room_id", "user_id", "message_id", "read_at"])
        default:
            return nil
        }
    }

    /// A frame of the event's own type to the room's sessions, with the payload's `keys` (the
    /// rest is for other consumers: mentions for notify, and the like).
    private static func passOn(_ event: Event, eventID: String, keys: [String]) -> RoomEventEffect? {
        guard case .object(let data) = event.data, let roomID = data["room_id"]?.uuid else { return nil }
        let fields = data.filter { keys.contains($0.key) }
        return RoomEventEffect(frame: ServerFrame(type: event.type, data: .object(fields), ref: nil, eventID: eventID), roomID: roomID)
    }
}

extension ServerFrame: Equatable {
    static func == (lhs: ServerFrame, rhs: ServerFrame) -> Bool {
        lhs.type == rhs.type && lhs.data == rhs.data && lhs.ref == rhs.ref && lhs.eventID == rhs.eventID
    }
}

extension JSONValue {
    var uuid: UUID? {
        guard case .string(let text) = self else { return nil }
        return UUID(uuidString: text)
    }

    var uuids: [UUID] {
        guard case .array(let values) = self else { return [] }
        return values.compactMap(\.uuid)
    }
}
