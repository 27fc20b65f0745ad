import AsyncHTTPClient
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// What a service that keeps data and emits events starts from, made one way: its logger,
/// tracing, Postgres, Redis, the shared HTTP client, the event outbox and its relay to `EVENT_SUBSCRIBERS`,
/// and the verifier of callers' tokens, with auth's public keys from its JWKS at `AUTH_URL`
/// unless `tokenKeys` are given (a service tested alone). Its composition root adds its own parts
/// on top.
public struct ServiceBackbone: Sendable {
    public let logger: Logger
    public let postgres: PostgresClient
    public let redis: RedisClient
    public let http: HTTPClientService
    public let outbox: Outbox
    public let verifier: TokenVerifier
    /// Where `verifier` finds the keys that sign tokens.
    public let tokenKeys: any PublicKeyProvider
    /// The service's spans: of its requests (`Router.service`), its calls to peers (`peer`), and
    /// its events, relayed and consumed (`EventReceiver`).
    public let tracing: ServiceTracing
    let relay: OutboxRelay
    let inboxPruner: InboxPruner

    let serviceToken: String

    public init(config: ServiceConfig, clock: WallClock, tokenKeys: (any PublicKeyProvider)? = nil) throws {
        logger = config.logger()
        tracing = try config.tracing(logger: logger)
        postgres = try PostgresClient(settings: config.postgres, logger: logger)
        redis = RedisClient(settings: config.redis)
        http = HTTPClientService(configuration: .init(timeout: .init(connect: .seconds(2))))
        outbox = Outbox(client: postgres, subscribers: try config.eventSubscribers(), clock: clock, logger: logger, tracer: tracing.tracer)
        relay = OutboxRelay(outbox: outbox, httpClient: http.client, serviceToken: config.serviceToken)
        inboxPruner = InboxPruner(client: postgres, clock: clock, timing: .init(retention: config.inboxRetention), logger: logger)
        serviceToken = config.serviceToken
        self.tokenKeys = tokenKeys ?? JWKSCache(authURL: config.authURL, httpClient: http.client, clock: clock, logger: logger)
        verifier = TokenVerifier(
            keys: self.tokenKeys,
            revocations: SessionRevocations(redis: redis), issuer: config.jwtIssuer, audience: config.jwtAudience, clock: clock)
    }

    /// Another service at `url`, called with the service credential over the shared client.
    public func peer(_ name: String, at url: String) throws -> PeerConnection {
        try PeerConnection(name: name, baseURL: url, httpClient: http.client, token: serviceToken, tracer: tracing.tracer)
    }

    /// The long-running parts, for the application's service group.
    /// Tracing first, so that it stops last and exports the spans of everything else's shutdown.
    public var services: [any Service] { [tracing.service].compactMap { $0 } + [postgres, redis, http, relay, inboxPruner] }

    /// Ready when Postgres and Redis answer.
    public var readiness: [ReadinessCheck] {
        [
            ReadinessCheck("postgres") { [postgres, logger] in await postgres.ping(logger: logger) },
            ReadinessCheck("redis") { [redis] in await redis.ping() },
        ]
    }
}
