import Foundation
import Hummingbird
import Logging
import PostgresNIO
import RoomsAPI
import ServiceKit

/// The one composition root of the messages service, used by the executable and by tests;
/// without `neighbours`, auth, rooms and media are reached over HTTP.
public func buildApplication(
    settings: MessagesSettings, clock: WallClock = .system, neighbours: MessagesNeighbours? = nil
) async throws -> some ApplicationProtocol {
    let config = settings.service
    let backbone = try ServiceBackbone(config: config, clock: clock, tokenKeys: neighbours?.tokenKeys)
    let neighbours = try neighbours ?? .overHTTP(backbone, settings: settings)
    let (logger, postgres, outbox) = (backbone.logger, backbone.postgres, backbone.outbox)

    let env = MessagesEnvironment(
        db: postgres, outbox: outbox, messages: MessageStore(logger: logger), reactions: ReactionStore(logger: logger),
        receipts: ReceiptStore(logger: logger), pins: PinStore(logger: logger), reports: ReportStore(logger: logger),
        recent: RecentMessagesCache(redis: backbone.redis, logger: logger),
        access: RoomAccessCache(epochs: AccessEpochs(redis: backbone.redis), rooms: neighbours.rooms, ttlSeconds: settings.accessCacheSeconds, clock: clock),
        users: UserCache(redis: backbone.redis, ttlSeconds: settings.userCacheSeconds, directory: neighbours.users),
        ids: EventIDs(), clock: clock, logger: logger)
    let messaging = Messaging(
        env: env, media: neighbours.attachments, sendLimiter: RateLimiter(redis: backbone.redis, prefix: "messages:send", setting: settings.sendRate),
        editWindow: settings.editWindow)
    let reactions = Reactions(env: env, limiter: RateLimiter(redis: backbone.redis, prefix: "messages:reaction", setting: settings.reactionRate))
    let scheduled = ScheduledMessages(
        env: env, messaging: messaging, store: ScheduledMessageStore(logger: logger), publisher: SignalPublisher(redis: backbone.redis))
    let reporting = Reporting(env: env, limiter: RateLimiter(redis: backbone.redis, prefix: "messages:report", setting: settings.reportRate))

    let router = Router<ServiceRequestContext>.service(config: config, tracer: backbone.tracing.tracer, readiness: backbone.readiness)
    let authenticated = router.group().add(middleware: AuthMiddleware(verifier: backbone.verifier))
    MessageRoutes(messaging: messaging, reactions: reactions, receipts: Receipts(env: env)).add(to: authenticated)
    ModerationRoutes(pins: Pins(env: env), reporting: reporting).add(to: authenticated)
    ScheduledMessageRoutes(scheduled: scheduled).add(to: authenticated)
    EventReceiver.add(to: router, serviceToken: config.serviceToken, handler: ConsumedEvents(rooms: RoomEventsConsumer(env: env), games: GameEventsConsumer(env: env), calls: CallEventsConsumer(env: env)), tracer: backbone.tracing.tracer)
    InternalRoutes(attachments: AttachmentAccess(env: env), export: MessageExport(env: env)).add(to: router, serviceToken: config.serviceToken)
    DeadLetters(outbox: backbone.outbox).addRoutes(to: router, serviceToken: config.serviceToken)

    let delivery = ScheduledDelivery(scheduled: scheduled, clock: clock, interval: settings.scheduledDeliveryInterval, logger: logger)
    var app = Application(router: router, configuration: config.applicationConfiguration, services: backbone.services + [delivery], logger: logger)
    app.beforeServerStarts {
        try await MigrationRunner(client: postgres, schema: config.postgres.schema, directory: migrationsDirectory, logger: logger).run()
    }
    return app
}

/// The `Migrations` folder, bundled as a resource of this library.
let migrationsDirectory = Bundle.module.resourceURL!.appendingPathComponent("Migrations")
