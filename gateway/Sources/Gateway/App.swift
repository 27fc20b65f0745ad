import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdWebSocket
import RoomsAPI
import ServiceKit

/// The one composition root of the gateway, used by the executable and by tests. Its neighbours
/// are reached over HTTP unless given (`GatewayNeighbours`).
public func buildApplication(
    settings: GatewaySettings, clock: WallClock = .system, neighbours: GatewayNeighbours? = nil
) async throws -> some ApplicationProtocol {
    let config = settings.service
    let logger = config.logger()
    let tracing = try config.tracing(logger: logger)
    let redis = RedisClient(settings: config.redis)
    // Redirects are the client's business; the gateway passes replies through as they are. Every
    // client request holds one upstream connection for its whole exchange (an upload for
    // seconds), so the pool is sized for many at once, not AsyncHTTPClient's 8 per host.
    var httpConfiguration = HTTPClient.Configuration(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(2)))
    httpConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: settings.upstreamConnections)
    let http = HTTPClientService(configuration: httpConfiguration)
    let neighbours = try neighbours ?? .overHTTP(settings: settings, httpClient: http.client, clock: clock, tracer: tracing.tracer, logger: logger)
    let rooms = neighbours.rooms
    let verifier = TokenVerifier(
        keys: neighbours.tokenKeys,
        revocations: SessionRevocations(redis: redis), issuer: config.jwtIssuer, audience: config.jwtAudience, clock: clock)

    let router = Router<GatewayRequestContext>(context: GatewayRequestContext.self)
    router.addMiddleware {
        RequestSpanMiddleware(tracer: tracing.tracer)
        RequestIDMiddleware()
        MetricsMiddleware()
        EdgePolicyMiddleware(allowedOrigins: Set(settings.corsOrigins))
        ErrorMiddleware()
        ClientAddressMiddleware(trusted: config.trustedProxies)
    }
    // The public port's only health route; readiness and metrics are on the internal surface.
    router.get("/health/live") { _, _ in Liveness() }
    WebApp(root: settings.webRoot, logger: logger).add(to: router)

    let registry = ConnectionRegistry()
    let pool = UpstreamPool(instances: settings.upstreams)
    let buffer = RoomEventBuffer(
        redis: redis, capacity: settings.replayBufferEvents, maxBytes: settings.replayBufferBytes, retentionSeconds: 86400)
    let publisher = SignalPublisher(redis: redis)
    let presence = Presence(redis: redis, publisher: publisher, rooms: rooms, ttlSeconds: settings.presenceTTLSeconds, clock: clock, logger: logger)
    let quota = SocketQuota(redis: redis, limit: settings.maxSocketsPerUser, ttlSeconds: settings.presenceTTLSeconds, clock: clock)
    let sessions = SessionGuard(
        registry: registry, revocations: SessionRevocations(redis: redis), clock: clock, interval: settings.sessionCheckInterval, logger: logger)
    let commands = ClientCommands(
        messages: ServicePeer(service: "messages", httpClient: http.client, pool: pool, timeout: settings.upstreamTimeout, tracer: tracing.tracer),
        games: ServicePeer(service: "games", httpClient: http.client, pool: pool, timeout: settings.upstreamTimeout, tracer: tracing.tracer),
        calls: ServicePeer(service: "calls", httpClient: http.client, pool: pool, timeout: settings.upstreamTimeout, tracer: tracing.tracer),
        registry: registry, typing: TypingTracker(publisher: publisher, interval: settings.typingInterval, clock: clock, logger: logger), buffer: buffer,
        presence: presence, maxReplayFrames: max(1, settings.webSocketQueueFrames / 2), tracer: tracing.tracer)
    let webSocket = WebSocketEndpoint(
        verifier: verifier, currentUsers: neighbours.currentUsers, rooms: rooms, registry: registry,
        commands: commands, quota: quota, sessions: sessions, trustedProxies: config.trustedProxies,
        maxQueuedFrames: settings.webSocketQueueFrames, frameRate: settings.frameRate, frameBurst: settings.frameBurst, clock: clock)
    webSocket.addHTTPRoute(to: router)

    let proxy = UpstreamProxy(
        httpClient: http.client, pool: pool, timeout: settings.upstreamTimeout,
        maxBodyBytes: config.maxBodyBytes, uploadBodyBytes: settings.uploadBodyBytes, tracer: tracing.tracer)
    EdgeRoutes(proxy: proxy, verifier: verifier).add(to: router)

    let internalSurface = InternalSurface.application(
        settings: settings, intake: EventIntake(redis: redis, seenTTLSeconds: settings.eventSeenSeconds, buffer: buffer, presence: presence), redis: redis,
        tracer: tracing.tracer, logger: logger)
    // A plain HTTP connection silent for a minute (idle between requests, or its body stalled)
    // is closed: connections held open without traffic cost the gateway and nobody else.
    let webSocketConfiguration = HTTP1WebSocketUpgradeChannel.Configuration(http1: .init(idleTimeout: .seconds(60)), ws: .init(
        maxFrameSize: WebSocketEndpoint.maxMessageBytes,
        autoPing: .enabled(timePeriod: .seconds(settings.webSocketPingInterval)),
        closeTimeout: .seconds(5)))
    return Application(
        router: router,
        server: HTTPServerBuilder { responder in
            EdgeServerChannel(base: HTTP1WebSocketUpgradeChannel(responder: responder, configuration: webSocketConfiguration) { head, channel, logger in
                await webSocket.shouldUpgrade(head, channel: channel, logger: logger)
            })
        },
        configuration: config.applicationConfiguration,
        // Tracing first, so that it stops last and exports the spans of everything else's shutdown.
        services: [tracing.service].compactMap { $0 } + [
            redis, http, internalSurface, EventBackplane(redis: redis, registry: registry, rooms: rooms, sessions: sessions, clock: clock, logger: logger),
            SessionHeartbeat(presence: presence, quota: quota, registry: registry, clock: clock), sessions,
            UpstreamHealthCheck(pool: pool, httpClient: http.client, interval: settings.upstreamCheckInterval, timeout: .seconds(1), clock: clock),
        ],
        logger: logger)
}

/// `GET /health/live` on the public port: the process answers, and nothing more is told.
struct Liveness: ResponseEncodable {
    let status = "ok"
}
