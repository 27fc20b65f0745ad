import AuthAPI
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// The one composition root of the rooms service, used by the executable and by tests.
public func buildApplication(settings: RoomsSettings, clock: WallClock = .system) async throws -> some ApplicationProtocol {
    let config = settings.service
    let logger = config.logger()
    let postgres = try PostgresClient(settings: config.postgres, logger: logger)
    let redis = RedisClient(settings: config.redis)
    let http = HTTPClientService(configuration: .init(timeout: .init(connect: .seconds(2))))
    let outbox = Outbox(client: postgres, subscribers: try config.eventSubscribers(), clock: clock, logger: logger)
    let relay = OutboxRelay(outbox: outbox, httpClient: http.client, serviceToken: config.serviceToken)
    let verifier = TokenVerifier(
        keys: JWKSCache(authURL: config.authURL, httpClient: http.client, clock: clock, logger: logger),
        revocations: SessionRevocations(redis: redis), issuer: config.jwtIssuer, audience: config.jwtAudience, clock: clock)

    let env = RoomsEnvironment(
        db: postgres, outbox: outbox, rooms: RoomStore(logger: logger), bans: BanStore(logger: logger),
        invites: InviteStore(logger: logger), blocks: BlockStore(logger: logger),
        users: UserDirectory(peer: try PeerConnection(name: "auth", baseURL: config.authURL, httpClient: http.client, token: config.serviceToken)),
        clock: clock, logger: logger)
    let lifecycle = RoomLifecycle(
        env: env, hasher: PasswordHasher(cost: settings.bcryptCost),
        passwordThrottle: FailureThrottle(
            redis: redis, prefix: "rooms:password", maxFailures: settings.passwordMaxFailures, window: settings.passwordLockoutSeconds))
    let members = MemberManagement(env: env, lifecycle: lifecycle)

    let router = Router<ServiceRequestContext>.service(config: config, readiness: [
        ReadinessCheck("postgres") { await postgres.ping(logger: logger) },
        ReadinessCheck("redis") { await redis.ping() },
    ])
    let authenticated = router.group().add(middleware: AuthMiddleware(verifier: verifier))
    RoomRoutes(lifecycle: lifecycle, members: members).add(to: authenticated)
    MemberRoutes(members: members, bans: Bans(env: env)).add(to: authenticated)
    InviteRoutes(invitations: Invitations(env: env, lifecycle: lifecycle)).add(to: authenticated)
    BlockRoutes(blocking: Blocking(env: env)).add(to: authenticated)
    InternalRoutes(queries: MembershipQueries(env: env))
        .add(to: router.group("/internal").add(middleware: ServiceTokenMiddleware(token: config.serviceToken)))

    var app = Application(router: router, configuration: config.applicationConfiguration, services: [postgres, redis, http, relay], logger: logger)
    app.beforeServerStarts {
        try await MigrationRunner(client: postgres, schema: config.postgres.schema, directory: migrationsDirectory, logger: logger).run()
    }
    return app
}

/// The `Migrations` folder, bundled as a resource of this library.
let migrationsDirectory = Bundle.module.resourceURL!.appendingPathComponent("Migrations")
