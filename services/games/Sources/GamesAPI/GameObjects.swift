import Foundation

/// The games service's objects as API.md writes them (and its events carry them): every key
/// present, absent values as null, ids in lower case. Decoded with snake_case keys.

/// An invitation to play, posted in a room as a message of type `game` whose `game_id` is its id.
/// `status` is `pending`, `accepted`, `declined` (by the invited), `cancelled` (by the inviter)
/// or `expired` (still pending at `expires_at`). `invitee_id` null: anyone else in the room may
/// accept.
public struct GameInvitation: Codable, Sendable, Equatable {
    public let id: UUID
    public let roomId: UUID
    public let game: String
    public let inviterId: UUID
    public let inviteeId: UUID?
    public var status: String
    public let createdAt: Date
    public let expiresAt: Date
    public var respondedAt: Date?
    public var matchId: UUID?

    public init(
        id: UUID, roomId: UUID, game: String, inviterId: UUID, inviteeId: UUID?, status: String, createdAt: Date, expiresAt: Date,
        respondedAt: Date?, matchId: UUID?
    ) {
        self.id = id
        self.roomId = roomId
        self.game = game
        self.inviterId = inviterId
        self.inviteeId = inviteeId
        self.status = status
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.respondedAt = respondedAt
        self.matchId = matchId
    }

    enum CodingKeys: String, CodingKey {
        case id, roomId, game, inviterId, inviteeId, status, createdAt, expiresAt, respondedAt, matchId
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercasedString, forKey: .id)
        try container.encode(roomId.lowercasedString, forKey: .roomId)
        try container.encode(game, forKey: .game)
        try container.encode(inviterId.lowercasedString, forKey: .inviterId)
        try container.encode(inviteeId?.lowercasedString, forKey: .inviteeId)
        try container.encode(status, forKey: .status)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(expiresAt, forKey: .expiresAt)
        try container.encode(respondedAt, forKey: .respondedAt)
        try container.encode(matchId?.lowercasedString, forKey: .matchId)
    }
}

/// A match: its players by side, the score, and how it stands. `status` is `playing`, `won`,
/// `forfeited` (the loser was away too long) or `abandoned` (both were, or the service stopped
/// while it was played); `winner_id` is null unless won or forfeited.
public struct GameMatch: Codable, Sendable, Equatable {
    public struct Sides<Value: Codable & Sendable & Equatable>: Codable, Sendable, Equatable {
        public var left: Value
        public var right: Value

        public init(left: Value, right: Value) {
            self.left = left
            self.right = right
        }
    }

    public let id: UUID
    public let roomId: UUID
    public let game: String
    public let invitationId: UUID
    /// The players' user ids.
    public let players: Sides<UUID>
    public var score: Sides<Int>
    public var status: String
    public var winnerId: UUID?
    public let startedAt: Date
    public var endedAt: Date?

    public init(
        id: UUID, roomId: UUID, game: String, invitationId: UUID, players: Sides<UUID>, score: Sides<Int>, status: String, winnerId: UUID?,
        startedAt: Date, endedAt: Date?
    ) {
        self.id = id
        self.roomId = roomId
        self.game = game
        self.invitationId = invitationId
        self.players = players
        self.score = score
        self.status = status
        self.winnerId = winnerId
        self.startedAt = startedAt
        self.endedAt = endedAt
    }

    enum CodingKeys: String, CodingKey {
        case id, roomId, game, invitationId, players, score, status, winnerId, startedAt, endedAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.lowercasedString, forKey: .id)
        try container.encode(roomId.lowercasedString, forKey: .roomId)
        try container.encode(game, forKey: .game)
        try container.encode(invitationId.lowercasedString, forKey: .invitationId)
        try container.encode(Sides(left: players.left.lowercasedString, right: players.right.lowercasedString), forKey: .players)
        try container.encode(score, forKey: .score)
        try container.encode(status, forKey: .status)
        try container.encode(winnerId?.lowercasedString, forKey: .winnerId)
        try container.encode(startedAt, forKey: .startedAt)
        try container.encode(endedAt, forKey: .endedAt)
    }
}

extension UUID {
    /// API.md's spelling of an id.
    fileprivate var lowercasedString: String { uuidString.lowercased() }
}
