import Foundation
import MessagesAPI
import RoomsAPI
import ServiceKit

/// What messages does with rooms' events: writes the system messages ("Alice joined") of group
/// rooms, and stops counting leavers as readers. (Cached standings need no event: rooms' access
/// epochs retire them before it answers a change.)
struct RoomEventsConsumer: EventHandler {
    let env: MessagesEnvironment

    /// A membership change as the system message tells it: who, in which room, and what happened.
    private struct MemberChange {
        let roomID: UUID
        let memberID: UUID
        /// `joined`, `left` or `was removed`.
        let verb: String
        /// The member's display name, when the event carries it.
        let name: String?
        let joined: Bool
    }

    func handle(_ event: Event) async throws {
        guard let change = change(of: event) else { return }
        try await writeSystemMessage(for: event, change)
    }

    /// The change a group room's history tells of; nil for any other event, for a direct room's
    /// joins and for a ban of someone who was not in the room.
    private func change(of event: Event) -> MemberChange? {
        switch RoomEventType(rawValue: event.type) {
        case .memberJoined:
            guard let joined = event.payload(as: MemberJoined.self, logger: env.logger), joined.roomType != "direct" else { return nil }
            return MemberChange(roomID: joined.roomId, memberID: joined.user.id, verb: "joined", name: joined.user.displayName, joined: true)
        case .memberLeft:
            guard let left = event.payload(as: MemberLeft.self, logger: env.logger) else { return nil }
            return MemberChange(roomID: left.roomId, memberID: left.userId, verb: "left", name: nil, joined: false)
        case .memberRemoved:
            guard let removed = event.payload(as: MemberRemoved.self, logger: env.logger) else { return nil }
            return MemberChange(roomID: removed.roomId, memberID: removed.userId, verb: "was removed", name: nil, joined: false)
        case .memberBanned:
            guard let banned = event.payload(as: MemberBanned.self, logger: env.logger), banned.wasMember else { return nil }
            return MemberChange(roomID: banned.roomId, memberID: banned.userId, verb: "was removed", name: nil, joined: false)
        default:
            return nil
        }
    }

    private func writeSystemMessage(for event: Event, _ change: MemberChange) async throws {
        var name = change.name
        if name == nil { name = try await env.users.user(change.memberID)?.displayName }
        try await EventMessage(roomID: change.roomID, sender: nil, type: .system, content: "\(name ?? "A member") \(change.verb)")
            .write(for: event, env: env) { [env] connection in
                if !change.joined { try await env.receipts.forget(room: change.roomID, user: change.memberID, on: connection) }
            }
        if !change.joined { try? await env.recent.readerGone(room: change.roomID, user: change.memberID) }
    }
}
