import AuthAPI
import Foundation
import Hummingbird
import RoomsAPI
import ServiceKit

/// The one composition root of the notify service, used by the executable and by tests.
/// `clock` dates notifications (creation, expiry, reading); tokens are checked against the system
/// time, so a test can move notifications a month on and still call the service.
public func buildApplication(settings: NotifySettings, clock: WallClock = .system) async throws -> some ApplicationProtocol {
    let config = settings.service
    let backbone = try ServiceBackbone(config: config, clock: .system)
    let (logger, postgres, http) = (backbone.logger, backbone.postgres, backbone.http)
    let store = NotificationStore(db: postgres, logger: logger)
    let env = NotifyEnvironment(store: store, outbox: backbone.outbox, ids: EventIDs(), clock: clock, lifetime: settings.lifetime, logger: logger)
    let notifying = Notifying(
        env: env,
        rooms: RoomPeople(
            rooms: RoomDirectory(peer: try PeerConnection(name: "rooms", baseURL: settings.roomsURL, httpClient: http.client, token: config.serviceToken)),
            epochs: AccessEpochs(redis: backbone.redis), clock: clock),
        users: UserDirectory(peer: try PeerConnection(name: "auth", baseURL: config.authURL, httpClient: http.client, token: config.serviceToken)))

    let router = Router<ServiceRequestContext>.service(config: config, readiness: backbone.readiness)
    let authenticated = router.group().add(middleware: AuthMiddleware(verifier: backbone.verifier))
    NotificationRoutes(feed: NotificationFeed(env: env)).add(to: authenticated)
    EventReceiver.add(to: router, serviceToken: config.serviceToken, handler: NotifyEventHandler(notifying: notifying))
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
