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
    let tracing = try config.tracing(logger: logger)
    let sealer = try settings.secretSealer()
    let postgres = try PostgresClient(settings: config.postgres, logger: logger)
    let redis = RedisClient(settings: config.redis)
    let http = HTTPClientService(configuration: .init(timeout: .init(connect: .seconds(2))))
    let outbox = Outbox(client: postgres, subscribers: try config.eventSubscribers(), clock: clock, logger: logger, tracer: tracing.tracer)

    let users = UserStore(client: postgres, sealer: sealer, logger: logger)
    let signingKeys = SigningKeyStore(client: postgres, sealer: sealer, logger: logger)
    let keyRing = KeyRing(store: signingKeys, clock: clock, rotationInterval: settings.keyRotationInterval, tokenLifetime: settings.tokenLifetime)
    let revocations = SessionRevocations(redis: redis)
    let verifier = TokenVerifier(keys: keyRing, revocations: revocations, issuer: settings.issuer, audience: settings.audience, clock: clock)
    let throttle = AttemptThrottle(redis: redis, prefix: "auth", window: settings.loginLockoutSeconds)
    let hasher = PasswordHasher(cost: settings.bcryptCost)
    let sessionStore = SessionStore(client: postgres, logger: logger)
    let sessions = Sessions(store: sessionStore, revocations: revocations, activity: verifier.activity, clock: clock)
    // Often enough that expired rows never pile up beyond a quarter of a token's lifetime.
    let sessionSweeper = ExpiredSessionSweeper(
        store: sessionStore, clock: clock, interval: .seconds(min(3600, settings.tokenLifetime / 4)), logger: logger)
    let secondFactor = SecondFactor(users: users, clock: clock)
    let stepUp = StepUp(users: users, hasher: hasher, throttle: throttle, maxAttempts: settings.loginMaxFailures)
    let accounts = Accounts(
        users: users, sessions: sessions, keyRing: keyRing, hasher: hasher, secondFactor: secondFactor, stepUp: stepUp, throttle: throttle,
        registrations: RateLimiter(redis: redis, prefix: "auth", setting: settings.registerRate), outbox: outbox, clock: clock,
        settings: settings)
    let twoFactor = TwoFactor(users: users, secondFactor: secondFactor, stepUp: stepUp, sessions: sessions, outbox: outbox, clock: clock)

    let router = Router<ServiceRequestContext>.service(config: config, tracer: tracing.tracer, readiness: [
        ReadinessCheck("postgres") { await postgres.ping(logger: logger) },
        ReadinessCheck("redis") { await redis.ping() },
    ])
    let authRoutes = AuthRoutes(accounts: accounts, sessions: sessions, twoFactor: twoFactor, users: users)
    authRoutes.addPublic(to: router)
    router.get("/.well-known/jwks.json") { _, _ in try await keyRing.jwks() }
    let authenticated = router.group().add(middleware: AuthMiddleware(verifier: verifier))
    authRoutes.addAuthenticated(to: authenticated)
    UserRoutes(users: users, profiles: Profiles(users: users, outbox: outbox)).add(to: authenticated)
    InternalRoutes(users: users).add(to: router.group("/internal").add(middleware: ServiceTokenMiddleware(token: config.serviceToken)))
    DeadLetters(outbox: outbox).addRoutes(to: router, serviceToken: config.serviceToken)

    let relay = OutboxRelay(outbox: outbox, httpClient: http.client, serviceToken: config.serviceToken)
    var app = Application(
        router: router, configuration: config.applicationConfiguration,
        // Tracing first, so that it stops last and exports the spans of everything else's shutdown.
        services: [tracing.service].compactMap { $0 } + [postgres, redis, http, relay, sessionSweeper], logger: logger)
    app.beforeServerStarts {
        try await MigrationRunner(client: postgres, schema: config.postgres.schema, directory: migrationsDirectory, logger: logger).run()
        try await SecretResealing(users: users, signingKeys: signingKeys, sealer: sealer).run()
        try await keyRing.prepare()
        try await sessions.republishRevocations()
    }
    return app
}

/// The `Migrations` folder, bundled as a resource of this library.
let migrationsDirectory = Bundle.module.resourceURL!.appendingPathComponent("Migrations")
