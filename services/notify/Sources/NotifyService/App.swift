import Foundation
import Hummingbird
import RoomsAPI
import ServiceKit

/// The one composition root of the notify service, used by the executable and by tests.
/// `clock` dates notifications (creation, expiry, reading); tokens are checked against the system
/// time, so a test can move notifications a month on and still call the service. Without
/// `neighbours`, auth and rooms are reached over HTTP.
public func buildApplication(
    settings: NotifySettings, clock: WallClock = .system, neighbours: NotifyNeighbours? = nil
) async throws -> some ApplicationProtocol {
    let config = settings.service
    let backbone = try ServiceBackbone(config: config, clock: .system, tokenKeys: neighbours?.tokenKeys)
    let neighbours = try neighbours ?? .overHTTP(backbone, authURL: config.authURL, roomsURL: settings.roomsURL)
    let (logger, postgres) = (backbone.logger, backbone.postgres)
    let store = NotificationStore(db: postgres, logger: logger)
    let env = NotifyEnvironment(store: store, outbox: backbone.outbox, ids: EventIDs(), clock: clock, lifetime: settings.lifetime, logger: logger)
    let notifying = Notifying(
        env: env,
        rooms: RoomPeople(rooms: neighbours.rooms, epochs: AccessEpochs(redis: backbone.redis), clock: clock),
        users: neighbours.users)

    let router = Router<ServiceRequestContext>.service(config: config, tracer: backbone.tracing.tracer, readiness: backbone.readiness)
    let authenticated = router.group().add(middleware: AuthMiddleware(verifier: backbone.verifier))
    NotificationRoutes(feed: NotificationFeed(env: env)).add(to: authenticated)
    EventReceiver.add(to: router, serviceToken: config.serviceToken, handler: NotifyEventHandler(notifying: notifying), tracer: backbone.tracing.tracer)
    DeadLetters(outbox: backbone.outbox).addRoutes(to: router, serviceToken: config.serviceToken)

    let sweeper = ExpirySweeper(store: store, clock: clock, interval: settings.expirySweepInterval, batchSize: settings.expiryBatchSize, logger: logger)
    var app = Application(router: router, configuration: config.applicationConfiguration, services: backbone.services + [sweeper], logger: logger)
    app.beforeServerStarts {
        try await MigrationRunner(client: postgres, schema: config.postgres.schema, directory: migrationsDirectory, logger: logger).run()
    }
    return app
}

/// The `Migrations` folder, bundled as a resource of this library.
let migrationsDirectory = Bundle.module.resourceURL!.appendingPathComponent("Migrations")
