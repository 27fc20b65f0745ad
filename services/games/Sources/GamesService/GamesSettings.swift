import Configuration
import Foundation
import ServiceKit

/// Games' configuration: the common settings plus its own (each an environment variable, see README).
public struct GamesSettings: Sendable {
    public var service: ServiceConfig
    /// Rooms' base URL: who may see and play a room's games.
    public var roomsURL: String
    /// How long an invitation stays open (`INVITATION_LIFETIME_SECONDS`, 300).
    public var invitationLifetime: TimeInterval
    /// A player not heard from for this long is away (`PLAYER_AWAY_MS`, 2000): clients repeat
    /// their input every second.
    public var playerAwayAfter: TimeInterval
    /// A state frame every this many ticks (`STATE_FRAME_EVERY_TICKS`, 2: 30 a second).
    public var stateFrameEveryTicks: Int

    public init(reader: ConfigReader) {
        self.service = ServiceConfig(serviceName: "games", defaultPort: 8088, reader: reader)
        self.roomsURL = reader.string(forKey: "rooms.url", default: "http://127.0.0.1:8082")
        self.invitationLifetime = TimeInterval(reader.int(forKey: "invitation.lifetime.seconds", default: 300))
        self.playerAwayAfter = TimeInterval(reader.int(forKey: "player.away.ms", default: 2000)) / 1000
        self.stateFrameEveryTicks = max(1, reader.int(forKey: "state.frame.every.ticks", default: 2))
    }
}
