import Foundation
import Hummingbird
import Logging
import PostgresNIO
import RoomsAPI
import ServiceKit

/// The one composition root of the rooms service, used by the executable and by tests; without
/// `neighbours`, auth is reached over HTTP.
public func buildApplication(
    settings: RoomsSettings, clock: WallClock = .system, neighbours: RoomsNeighbours? = nil
) async throws -> some ApplicationProtocol {
    let config = settings.service
    let backbone = try ServiceBackbone(config: config, clock: clock, tokenKeys: neighbours?.tokenKeys)
    let neighbours = try neighbours ?? .overHTTP(backbone, config: config)
    let (logger, postgres, outbox) = (backbone.logger, backbone.postgres, backbone.outbox)

    let env = RoomsEnvironment(
        db: postgres, outbox: outbox, rooms: RoomStore(logger: logger), bans: BanStore(logger: logger),
        invites: InviteStore(logger: logger), blocks: BlockStore(logger: logger),
        users: neighbours.users,
        epochs: AccessEpochs(redis: backbone.redis), clock: clock, logger: logger)
    let passwords = RoomPasswords(
        hasher: PasswordHasher(cost: settings.bcryptCost),
        throttle: AttemptThrottle(redis: backbone.redis, prefix: "rooms:password", window: settings.passwordLockoutSeconds),
        maxFailuresPerRoom: settings.passwordMaxFailures, maxFailuresPerUser: settings.passwordUserMaxFailures)
    let lifecycle = RoomLifecycle(
        env: env, passwords: passwords, createLimiter: RateLimiter(redis: backbone.redis, prefix: "rooms:create", setting: settings.roomCreateLimit))
    // Invite links and members added draw on one budget per user.
    let inviteLimiter = RateLimiter(redis: backbone.redis, prefix: "rooms:invite", setting: settings.inviteLimit)
    let members = MemberManagement(env: env, lifecycle: lifecycle, inviteLimiter: inviteLimiter)

    let router = Router<ServiceRequestContext>.service(config: config, tracer: backbone.tracing.tracer, readiness: backbone.readiness)
    let authenticated = router.group().add(middleware: AuthMiddleware(verifier: backbone.verifier))
    RoomRoutes(lifecycle: lifecycle, members: members).add(to: authenticated)
    MemberRoutes(members: members, bans: Bans(env: env)).add(to: authenticated)
    InviteRoutes(invitations: Invitations(env: env, lifecycle: lifecycle, inviteLimiter: inviteLimiter)).add(to: authenticated)
    BlockRoutes(blocking: Blocking(env: env)).add(to: authenticated)
    InternalRoutes(queries: MembershipQueries(env: env))
        .add(to: router.group("/internal").add(middleware: ServiceTokenMiddleware(token: config.serviceToken)))
    EventReceiver.add(
        to: router, serviceToken: config.serviceToken,
        handler: MessageEventsConsumer(inbox: PostgresInbox(client: postgres, logger: logger), activity: ActivityStore(logger: logger), logger: logger),
        tracer: backbone.tracing.tracer)
    DeadLetters(outbox: backbone.outbox).addRoutes(to: router, serviceToken: config.serviceToken)

    var app = Application(router: router, configuration: config.applicationConfiguration, services: backbone.services, logger: logger)
    app.beforeServerStarts {
        try await MigrationRunner(client: postgres, schema: config.postgres.schema, directory: migrationsDirectory, logger: logger).run()
    }
    return app
}

/// The `Migrations` folder, bundled as a resource of this library.
let migrationsDirectory = Bundle.module.resourceURL!.appendingPathComponent("Migrations")
