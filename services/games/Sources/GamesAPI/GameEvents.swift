import Foundation

/// The events games emits, each on its room's stream (ids in lower case, as the frames made of
/// them carry them on), defined here once: messages writes the
/// room's messages from them (the invitation, the result), the gateway turns them into frames,
/// and games' own tests decode what it emits as them. Keys are snake_case on the wire.
public enum GameEventType: String, Sendable, CaseIterable {
    /// Someone invited the room (or one member of it) to play: messages posts the invitation.
    case invited = "game_invited"
    /// An invitation was accepted, declined or cancelled.
    case invitationUpdated = "game_invitation_updated"
    case matchStarted = "game_started"
    /// The match ended: messages posts `summary` ("Alice beat Bob 11-7").
    case matchFinished = "game_finished"
}

/// `game_invited`: `text` is the invitation message's content ("Alice invited Bob to play Pong").
public struct GameInvited: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let invitation: GameInvitation
    public let text: String

    public init(roomId: UUID, invitation: GameInvitation, text: String) {
        self.roomId = roomId
        self.invitation = invitation
        self.text = text
    }

    enum CodingKeys: String, CodingKey { case roomId, invitation, text }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(roomId.uuidString.lowercased(), forKey: .roomId)
        try container.encode(invitation, forKey: .invitation)
        try container.encode(text, forKey: .text)
    }
}

/// `game_invitation_updated`.
public struct GameInvitationUpdated: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let invitation: GameInvitation

    public init(roomId: UUID, invitation: GameInvitation) {
        self.roomId = roomId
        self.invitation = invitation
    }

    enum CodingKeys: String, CodingKey { case roomId, invitation }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(roomId.uuidString.lowercased(), forKey: .roomId)
        try container.encode(invitation, forKey: .invitation)
    }
}

/// `game_started` and `game_finished`; `summary` (finished only) is the result as the room's
/// system message tells it.
public struct GameMatchChanged: Codable, Sendable, Equatable {
    public let roomId: UUID
    public let match: GameMatch
    public let summary: String?

    public init(roomId: UUID, match: GameMatch, summary: String? = nil) {
        self.roomId = roomId
        self.match = match
        self.summary = summary
    }

    enum CodingKeys: String, CodingKey { case roomId, match, summary }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(roomId.uuidString.lowercased(), forKey: .roomId)
        try container.encode(match, forKey: .match)
        try container.encode(summary, forKey: .summary)
    }
}
