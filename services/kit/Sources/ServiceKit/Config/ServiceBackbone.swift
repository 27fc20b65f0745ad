import AsyncHTTPClient
import Foundation
import Logging
import PostgresNIO
import ServiceLifecycle

/// What a service that keeps data and emits events starts from, made one way: its logger,
/// Postgres, Redis, the shared HTTP client, the event outbox and its relay to `EVENT_SUBSCRIBERS`,
/// and the verifier of callers' tokens. Its composition root adds its own parts on top.
public struct ServiceBackbone: Sendable {
    public let logger: Logger
    public let postgres: PostgresClient
    public let redis: RedisClient
    public let http: HTTPClientService
    public let outbox: Outbox
    public let verifier: TokenVerifier
    let relay: OutboxRelay
    let inboxPruner: InboxPruner

    public init(config: ServiceConfig, clock: WallClock) throws {
        logger = config.logger()
        postgres = try PostgresClient(settings: config.postgres, logger: logger)
        redis = RedisClient(settings: config.redis)
        http = HTTPClientService(configuration: .init(timeout: .init(connect: .seconds(2))))
        outbox = Outbox(client: postgres, subscribers: try config.eventSubscribers(), clock: clock, logger: logger)
        relay = OutboxRelay(outbox: outbox, httpClient: http.client, serviceToken: config.serviceToken)
        inboxPruner = InboxPruner(client: postgres, clock: clock, logger: logger)
        verifier = TokenVerifier(
            keys: JWKSCache(authURL: config.authURL, httpClient: http.client, clock: clock, logger: logger),
            revocations: SessionRevocations(redis: redis), issuer: config.jwtIssuer, audience: config.jwtAudience, clock: clock)
    }

    /// The long-running parts, for the application's service group.
    public var services: [any Service] { [postgres, redis, http, relay, inboxPruner] }

    /// Ready when Postgres and Redis answer.
    public var readiness: [ReadinessCheck] {
        [
            ReadinessCheck("postgres") { [postgres, logger] in await postgres.ping(logger: logger) },
            ReadinessCheck("redis") { [redis] in await redis.ping() },
        ]
    }
}
