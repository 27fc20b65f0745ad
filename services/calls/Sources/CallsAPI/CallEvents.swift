import Foundation

/// The events calls emits, each on its room's stream (ids in lower case, as the frames made of
/// them carry them on), defined here once: the gateway makes frames of them, notify turns a
/// call's ringing into `call` notifications, messages posts the room's line when one ends, and
/// calls' own tests decode what it emits as them. Keys are snake_case on the wire.
public enum CallEventType: String, Sendable, CaseIterable {
    /// A call began: it rings `ringing_user_ids`.
    case started = "call_started"
    /// Someone answered, declined, left or rang out; the call goes on.
    case updated = "call_updated"
    /// The call is over: messages posts `summary` ("Call, 12 min 30 s", "Missed call").
    case ended = "call_ended"
}

/// `call_started`, `call_updated` and `call_ended`. `ringingUserIds` (started only): whom it
/// rings; `callerName` (started only): for the notification; `summary` (ended only).
public struct CallChanged: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let call: Call
    public var ringingUserIds: [UUID]?
    public var callerName: String?
    public var summary: String?

    public init(roomId: UUID, call: Call, ringingUserIds: [UUID]? = nil, callerName: String? = nil, summary: String? = nil) {
        self.roomId = roomId
        self.call = call
        self.ringingUserIds = ringingUserIds
        self.callerName = callerName
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey { case roomId, call, ringingUserIds, callerName, summary }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(roomId.uuidString.lowercased(), forKey: .roomId)
        try container.encode(call, forKey: .call)
        try container.encodeIfPresent(ringingUserIds?.map { $0.uuidString.lowercased() }, forKey: .ringingUserIds)
        try container.encodeIfPresent(callerName, forKey: .callerName)
        try container.encodeIfPresent(summary, forKey: .summary)
    }
}
