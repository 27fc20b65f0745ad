import Configuration
import Foundation
import ServiceKit

/// The gateway's configuration: the common settings, where each service lives, and edge policy.
public struct GatewaySettings: Sendable {
    public var service: ServiceConfig
    /// Base URLs per upstream service name (`AUTH_URL`, `ROOMS_URL`, ...; the local stack's ports by
    /// default): one, or several instances comma-separated, which the gateway's requests take in turn.
    public var upstreams: [String: [String]]
    /// How often each instance of a service with several is asked whether it answers.
    public var upstreamCheckInterval: Duration
    /// Origins allowed to call the API from a browser (`CORS_ORIGINS`, comma-separated).
    public var corsOrigins: [String]
    public var upstreamTimeout: TimeInterval
    /// Connections kept open to each upstream service; requests beyond them wait for one.
    public var upstreamConnections: Int
    /// The body limit of upload routes (`RouteTable.uploadUpstreams`): media's 10 MiB file plus
    /// 64 KiB of multipart framing. Every other route keeps `MAX_BODY_BYTES`.
    public var uploadBodyBytes: Int
    /// How often the server pings each WebSocket; a peer that misses a pong is dropped.
    public var webSocketPingInterval: TimeInterval
    /// Frames waiting for a slow WebSocket client; past this the client is disconnected (it can resume).
    public var webSocketQueueFrames: Int
    /// Events kept per room for `resume`.
    public var replayBufferEvents: Int
    /// Bytes of events kept per room for `resume`; an event larger than this is not kept at all.
    public var replayBufferBytes: Int
    /// How long an event id taken is remembered, so that a redelivery is not published twice. A
    /// relay delivers again within seconds (its lease is 15 s), so an hour is plenty; each event
    /// costs a key for that long.
    public var eventSeenSeconds: Int
    /// A connection counts as online this long after its last heartbeat (DESIGN: 5 minutes).
    public var presenceTTLSeconds: Int
    /// Where the internal surface listens (event intake, `/metrics`, `/health/ready`): never the public port.
    public var internalHost: String
    public var internalPort: Int
    /// Open WebSockets per user, across every gateway instance.
    public var maxSocketsPerUser: Int
    /// Client frames per second a socket may send in the long run, and how many at once.
    public var frameRate: Double
    public var frameBurst: Int
    /// A user's typing indicator in a room changes at most once per this interval.
    public var typingInterval: Duration
    /// How often every socket's session is checked for expiry and, as a backstop to the
    /// revocations published by auth, for revocation.
    public var sessionCheckInterval: Duration
    /// The built web app served at `/` (`WEB_ROOT`, `web/dist` of the working folder by default).
    public var webRoot: String

    /// Where each service listens in the local stack (DESIGN.md "Processes").
    static let localPorts = ["auth": 8081, "rooms": 8082, "messages": 8083, "media": 8084, "search": 8085, "notify": 8086, "games": 8088, "calls": 8089]

    public init(reader: ConfigReader) {
        // The gateway is the edge: it believes no X-Forwarded-For unless TRUSTED_PROXIES names a
        // proxy in front of it.
        self.service = ServiceConfig(serviceName: "gateway", defaultPort: 8080, reader: reader, defaultTrustedProxies: [])
        let authURL = service.authURL
        self.upstreams = Dictionary(uniqueKeysWithValues: RouteTable.upstreamNames.map { name in
            let localURL = Self.localPorts[name].map { "http://127.0.0.1:\($0)" } ?? ""
            let urls = name == "auth" ? authURL : reader.string(forKey: ConfigKey(stringLiteral: name + ".url"), default: localURL)
            return (name, urls.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        })
        self.upstreamCheckInterval = .seconds(max(1, reader.int(forKey: "upstream.check.seconds", default: 2)))
        self.corsOrigins = reader.stringArray(forKey: "cors.origins", default: ["http://127.0.0.1:8080", "http://localhost:8080"])
        self.upstreamTimeout = TimeInterval(reader.int(forKey: "upstream.timeout.seconds", default: 30))
        self.upstreamConnections = max(1, reader.int(forKey: "upstream.connections", default: 256))
        self.uploadBodyBytes = reader.int(forKey: "max.upload.body.bytes", default: 10 * 1024 * 1024 + 64 * 1024)
        self.webSocketPingInterval = TimeInterval(reader.int(forKey: "ws.ping.seconds", default: 30))
        self.webSocketQueueFrames = max(1, reader.int(forKey: "ws.queue.frames", default: 1024))
        self.replayBufferEvents = max(1, reader.int(forKey: "replay.buffer.events", default: 1000))
        self.replayBufferBytes = max(1024, reader.int(forKey: "replay.buffer.bytes", default: 1 << 20))
        self.eventSeenSeconds = max(60, reader.int(forKey: "event.seen.seconds", default: 3600))
        self.presenceTTLSeconds = max(5, reader.int(forKey: "presence.ttl.seconds", default: 300))
        self.internalHost = reader.string(forKey: "internal.http.host", default: "127.0.0.1")
        self.internalPort = reader.int(forKey: "internal.http.port", default: 9080)
        self.maxSocketsPerUser = max(1, reader.int(forKey: "ws.max.sockets.per.user", default: 20))
        self.frameRate = Double(max(1, reader.int(forKey: "ws.frame.rate", default: 20)))
        self.frameBurst = max(1, reader.int(forKey: "ws.frame.burst", default: 60))
        self.typingInterval = .seconds(max(0, reader.int(forKey: "ws.typing.interval.seconds", default: 2)))
        self.sessionCheckInterval = .seconds(max(1, reader.int(forKey: "ws.session.check.seconds", default: 10)))
        self.webRoot = reader.string(forKey: "web.root", default: "web/dist")
    }
}
