import Foundation
import Logging
import ServiceKit

/// `POST /internal/events`: messages' events feed the index (a batch at a time), rooms'
/// membership events drop cached room lists, so a search never reaches a room its caller left.
struct SearchEventHandler: EventHandler {
    let messages: MessageEventsConsumer
    let scope: RoomScope
    let logger: Logger

    private struct MemberChange: Decodable {
        struct User: Decodable { let id: UUID }
        let userId: UUID?
        let user: User?
        var memberID: UUID? { userId ?? user?.id }
    }

    private struct RoomMembers: Decodable {
        let memberIds: [UUID]
    }

    static let membershipEvents: Set<String> = ["member_joined", "member_left", "member_removed", "member_banned"]

    func handle(_ event: Event) async throws {
        try await handle(batch: [event])
    }

    func handle(batch events: [Event]) async throws {
        try await messages.apply(events)
        var users: [UUID] = []
        for event in events {
            if Self.membershipEvents.contains(event.type), let member = event.payload(as: MemberChange.self, logger: logger)?.memberID {
                users.append(member)
            } else if event.type == "room_deleted" || event.type == "room_created", let room = event.payload(as: RoomMembers.self, logger: logger) {
                users += room.memberIds
            }
        }
        try await scope.invalidate(users)
    }
}
