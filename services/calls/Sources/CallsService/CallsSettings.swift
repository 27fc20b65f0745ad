import Configuration
import Foundation
import ServiceKit

/// Where clients find the TURN server, and the secret it shares with this service.
public struct TurnSettings: Sendable {
    /// coturn's `static-auth-secret` (`TURN_SECRET`); empty: no credentials are handed out (503).
    public var secret: String
    /// The TURN server's URIs for clients (`TURN_URIS`, comma-separated).
    public var uris: [String]
    /// How long credentials stay valid (`TURN_TTL_SECONDS`, an hour).
    public var ttlSeconds: Int
}

/// Calls' configuration: the common settings plus its own (each an environment variable, see README).
public struct CallsSettings: Sendable {
    public var service: ServiceConfig
    /// Rooms' base URL: members, their notification levels, blocks.
    public var roomsURL: String
    public var turn: TurnSettings
    /// How long a call rings before it is missed (`RING_SECONDS`, 45).
    public var ringSeconds: TimeInterval
    /// How often ringing calls are checked for the timeout (`RING_SWEEP_MS`, 1000).
    public var ringSweepInterval: Duration

    public init(reader: ConfigReader) {
        self.service = ServiceConfig(serviceName: "calls", defaultPort: 8089, reader: reader)
        self.roomsURL = reader.string(forKey: "rooms.url", default: "http://127.0.0.1:8082")
        self.turn = TurnSettings(
            secret: reader.string(forKey: "turn.secret", isSecret: true, default: ""),
            uris: reader.stringArray(forKey: "turn.uris", default: ["turn:127.0.0.1:3478?transport=udp", "turn:127.0.0.1:3478?transport=tcp"]),
            ttlSeconds: reader.int(forKey: "turn.ttl.seconds", default: 3600))
        self.ringSeconds = TimeInterval(max(1, reader.int(forKey: "ring.seconds", default: Int(CallRules.defaultRingSeconds))))
        self.ringSweepInterval = .milliseconds(reader.int(forKey: "ring.sweep.ms", default: 1000))
    }
}
