import Foundation

/// The calls service's objects as API.md writes them (and its events carry them): every key
/// present, absent values as null, ids in lower case. Decoded with snake_case keys.

/// One person in a call: `ringing` (not answered yet), `joined`, `declined`, `left` or `missed`
/// (rang out unanswered).
public struct CallParticipant: Codable, Sendable, Equatable {
    public let userId: UUID
    public var state: String
    public var joinedAt: Date?
    public var leftAt: Date?

    public init(userId: UUID, state: String, joinedAt: Date?, leftAt: Date?) {
        self.userId = userId
        self.state = state
        self.joinedAt = joinedAt
        self.leftAt = leftAt
    }

    enum CodingKeys: String, CodingKey { case userId, state, joinedAt, leftAt }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId.uuidString.lowercased(), forKey: .userId)
        try container.encode(state, forKey: .state)
        try container.encode(joinedAt, forKey: .joinedAt)
        try container.encode(leftAt, forKey: .leftAt)
    }
}

/// A call in a room. `status`: `ringing` (nobody answered yet), `active`, then `ended` (it was
/// answered), `missed` (nobody answered in 45 s, or the caller gave up) or `declined` (everyone
/// it rang declined). `duration_seconds`: from the first answer to the end, once ended.
public struct Call: Codable, Sendable, Equatable {
    public let id: UUID
    public let roomId: UUID
    public let kind: String
    public let startedBy: UUID
    public var status: String
    public let createdAt: Date
    public let ringUntil: Date
    public var answeredAt: Date?
    public var endedAt: Date?
    public var participants: [CallParticipant]

    public init(
        id: UUID, roomId: UUID, kind: String, startedBy: UUID, status: String, createdAt: Date, ringUntil: Date, answeredAt: Date?,
        endedAt: Date?, participants: [CallParticipant]
    ) {
        self.id = id
        self.roomId = roomId
        self.kind = kind
        self.startedBy = startedBy
        self.status = status
        self.createdAt = createdAt
        self.ringUntil = ringUntil
        self.answeredAt = answeredAt
        self.endedAt = endedAt
        self.participants = participants
    }

    /// Whole seconds from the first answer to the end; nil before the end or without an answer.
    public var durationSeconds: Int? {
        guard let answeredAt, let endedAt else { return nil }
        return Int(endedAt.timeIntervalSince(answeredAt).rounded(.down))
    }

    public var isLive: Bool { status == "ringing" || status == "active" }

    public func participant(_ user: UUID) -> CallParticipant? {
        participants.first { $0.userId == user }
    }

    enum CodingKeys: String, CodingKey {
        case id, roomId, kind, startedBy, status, createdAt, ringUntil, answeredAt, endedAt, durationSeconds, participants
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(UUID.self, forKey: .id)
        roomId = try container.decode(UUID.self, forKey: .roomId)
        kind = try container.decode(String.self, forKey: .kind)
        startedBy = try container.decode(UUID.self, forKey: .startedBy)
        status = try container.decode(String.self, forKey: .status)
        createdAt = try container.decode(Date.self, forKey: .createdAt)
        ringUntil = try container.decode(Date.self, forKey: .ringUntil)
        answeredAt = try container.decodeIfPresent(Date.self, forKey: .answeredAt)
        endedAt = try container.decodeIfPresent(Date.self, forKey: .endedAt)
        participants = try container.decode([CallParticipant].self, forKey: .participants)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(roomId.uuidString.lowercased(), forKey: .roomId)
        try container.encode(kind, forKey: .kind)
        try container.encode(startedBy.uuidString.lowercased(), forKey: .startedBy)
        try container.encode(status, forKey: .status)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(ringUntil, forKey: .ringUntil)
        try container.encode(answeredAt, forKey: .answeredAt)
        try container.encode(endedAt, forKey: .endedAt)
        try container.encode(durationSeconds, forKey: .durationSeconds)
        try container.encode(participants, forKey: .participants)
    }
}
