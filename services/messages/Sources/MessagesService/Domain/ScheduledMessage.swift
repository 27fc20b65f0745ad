import Foundation
import Hummingbird
import ServiceKit

/// A message its author wrote now for later: sent as theirs at `sendAt`, once.
struct ScheduledMessage: Sendable, Equatable {
    enum Status: String, Sendable {
        /// Waiting for its time.
        case scheduled
        /// Delivered: `messageID` is the message it became.
        case sent
        /// Could not be sent at its time (`failure` says why): its author may change or cancel it.
        case failed
    }

    let id: UUID
    let roomID: UUID
    let senderID: UUID
    var content: String
    var parentID: UUID?
    var sendAt: Date
    var status: Status
    var failure: String?
    var messageID: UUID?
    let createdAt: Date
    var updatedAt: Date

    /// The client id of the message it becomes: a second delivery finds that message.
    var clientID: String { "scheduled:\(id.apiString)" }

    /// How far ahead a message may be scheduled.
    static let earliest: TimeInterval = 60
    static let latest: TimeInterval = 366 * 86_400
    /// Waiting messages an author may have in one room.
    static let maxPerRoom = 100
}

extension ScheduledMessage: ResponseEncodable {
    /// As the API shows it: every key present, ids in lower case.
    var json: JSONValue {
        func optional(_ id: UUID?) -> JSONValue { id.map { .string($0.apiString) } ?? .null }
        return .object([
            "id": .string(id.apiString), "room_id": .string(roomID.apiString), "sender_id": .string(senderID.apiString),
            "content": .string(content), "parent_id": optional(parentID), "send_at": .string(Timestamp.format(sendAt)),
            "status": .string(status.rawValue), "failure": failure.map { .string($0) } ?? .null, "message_id": optional(messageID),
            "created_at": .string(Timestamp.format(createdAt)), "updated_at": .string(Timestamp.format(updatedAt)),
        ])
    }

    func encode(to encoder: any Encoder) throws {
        try json.encode(to: encoder)
    }
}

/// `GET /rooms/:id/scheduled-messages`.
struct ScheduledMessageList: ResponseEncodable {
    let scheduledMessages: [ScheduledMessage]
}
