import AsyncHTTPClient
import Foundation
import Hummingbird
import Logging
import PostgresNIO
import ServiceKit

/// The one composition root of the auth service, used by the executable and by tests.
public func buildApplication(settings: AuthSettings, clock: WallClock = .system) async throws -> some ApplicationProtocol {
    let config = settings.service
    let logger = config.logger()
    let postgres = try PostgresClient(settings: config.postgres, logger: logger)
    let redis = RedisClient(settings: config.redis)
    let http = HTTPClientService(configuration: .init(timeout: .init(connect: .seconds(2))))
    let outbox = Outbox(client: postgres, subscribers: try config.eventSubscribers(), clock: clock, logger: logger)

    let users = UserStore(client: postgres, logger: logger)
    let keyRing = KeyRing(
        store: SigningKeyStore(client: postgres, logger: logger), clock: clock,
        rotationInterval: settings.keyRotationInterval, tokenLifetime: settings.tokenLifetime)
    let revocations = SessionRevocations(redis: redis)
    let throttle = AttemptThrottle(redis: redis, prefix: "auth", window: settings.loginLockoutSeconds)
    let accounts = Accounts(
        users: users, sessions: SessionStore(client: postgres, logger: logger), revocations: revocations,
        keyRing: keyRing, hasher: PasswordHasher(cost: settings.bcryptCost), throttle: throttle, clock: clock, settings: settings)
    let verifier = TokenVerifier(keys: keyRing, revocations: revocations, issuer: settings.issuer, audience: settings.audience, clock: clock)

    let router = Router<ServiceRequestContext>.service(config: config, readiness: [
        ReadinessCheck("postgres") { await postgres.ping(logger: logger) },
        ReadinessCheck("redis") { await redis.ping() },
    ])
    let authRoutes = AuthRoutes(accounts: accounts, twoFactor: TwoFactor(users: users, accounts: accounts, throttle: throttle, maxFailures: settings.loginMaxFailures, clock: clock), users: users)
    authRoutes.addPublic(to: router)
    router.get("/.well-known/jwks.json") { _, _ in try await keyRing.jwks() }
    let authenticated = router.group().add(middleware: AuthMiddleware(verifier: verifier))
    authRoutes.addAuthenticated(to: authenticated)
    UserRoutes(users: users, profiles: Profiles(users: users, outbox: outbox)).add(to: authenticated)
    InternalRoutes(users: users).add(to: router.group("/internal").add(middleware: ServiceTokenMiddleware(token: config.serviceToken)))

    var app = Application(router: router, configuration: config.applicationConfiguration, services: [postgres, redis, http, OutboxRelay(outbox: outbox, httpClient: http.client, serviceToken: config.serviceToken)],
        logger: logger)
    app.beforeServerStarts {
        try await MigrationRunner(client: postgres, schema: config.postgres.schema, directory: migrationsDirectory, logger: logger).run()
        try await keyRing.prepare()
        try await accounts.republishRevocations()
    }
    return app
}

/// The `Migrations` folder, bundled as a resource of this library.
let migrationsDirectory = Bundle.module.resourceURL!.appendingPathComponent("Migrations")
