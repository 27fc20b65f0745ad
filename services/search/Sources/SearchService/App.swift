import AuthAPI
import Foundation
import Hummingbird
import RoomsAPI
import ServiceKit

/// The one composition root of the search service, used by the executable and by tests.
public func buildApplication(settings: SearchSettings, clock: WallClock = .system) async throws -> some ApplicationProtocol {
    let config = settings.service
    let backbone = try ServiceBackbone(config: config, clock: clock)
    let (logger, postgres, http) = (backbone.logger, backbone.postgres, backbone.http)
    let index = SearchIndex(db: postgres, logger: logger)
    let scope = RoomScope(
        epochs: AccessEpochs(redis: backbone.redis),
        rooms: RoomDirectory(peer: try PeerConnection(name: "rooms", baseURL: settings.roomsURL, httpClient: http.client, token: config.serviceToken)),
        ttlSeconds: settings.scopeCacheSeconds)
    let users = UserDirectory(peer: try PeerConnection(name: "auth", baseURL: config.authURL, httpClient: http.client, token: config.serviceToken))

    let router = Router<ServiceRequestContext>.service(config: config, readiness: backbone.readiness)
    let authenticated = router.group().add(middleware: AuthMiddleware(verifier: backbone.verifier))
    SearchRoutes(searching: Searching(index: index, scope: scope, users: users)).add(to: authenticated)
    EventReceiver.add(to: router, serviceToken: config.serviceToken, handler: MessageEventsConsumer(index: index, logger: logger))
    DeadLetters(outbox: backbone.outbox).addRoutes(to: router, serviceToken: config.serviceToken)

    var app = Application(router: router, configuration: config.applicationConfiguration, services: backbone.services, logger: logger)
    app.beforeServerStarts {
        try await MigrationRunner(client: postgres, schema: config.postgres.schema, directory: migrationsDirectory, logger: logger).run()
    }
    return app
}

/// The `Migrations` folder, bundled as a resource of this library.
let migrationsDirectory = Bundle.module.resourceURL!.appendingPathComponent("Migrations")
