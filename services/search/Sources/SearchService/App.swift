import Foundation
import Hummingbird
import RoomsAPI
import ServiceKit

/// The one composition root of the search service, used by the executable and by tests; without
/// `neighbours`, auth and rooms are reached over HTTP.
public func buildApplication(
    settings: SearchSettings, clock: WallClock = .system, neighbours: SearchNeighbours? = nil
) async throws -> some ApplicationProtocol {
    let config = settings.service
    let backbone = try ServiceBackbone(config: config, clock: clock, tokenKeys: neighbours?.tokenKeys)
    let neighbours = try neighbours ?? .overHTTP(backbone, authURL: config.authURL, roomsURL: settings.roomsURL)
    let (logger, postgres) = (backbone.logger, backbone.postgres)
    let index = SearchIndex(db: postgres, logger: logger)
    let scope = RoomScope(epochs: AccessEpochs(redis: backbone.redis), rooms: neighbours.rooms, ttlSeconds: settings.scopeCacheSeconds)

    let router = Router<ServiceRequestContext>.service(config: config, tracer: backbone.tracing.tracer, readiness: backbone.readiness)
    let authenticated = router.group().add(middleware: AuthMiddleware(verifier: backbone.verifier))
    SearchRoutes(searching: Searching(index: index, scope: scope, users: neighbours.users)).add(to: authenticated)
    EventReceiver.add(to: router, serviceToken: config.serviceToken, handler: MessageEventsConsumer(index: index, logger: logger), tracer: backbone.tracing.tracer)
    DeadLetters(outbox: backbone.outbox).addRoutes(to: router, serviceToken: config.serviceToken)

    var app = Application(router: router, configuration: config.applicationConfiguration, services: backbone.services, logger: logger)
    app.beforeServerStarts {
        try await MigrationRunner(client: postgres, schema: config.postgres.schema, directory: migrationsDirectory, logger: logger).run()
    }
    return app
}

/// The `Migrations` folder, bundled as a resource of this library.
let migrationsDirectory = Bundle.module.resourceURL!.appendingPathComponent("Migrations")
