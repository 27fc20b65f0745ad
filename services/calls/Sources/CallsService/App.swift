import Foundation
import Hummingbird
import ServiceKit

/// The one composition root of the calls service, used by the executable and by tests. `clock`
/// dates calls and runs the ring timeout (a test moves it 45 s on); tokens are checked against
/// the system time. Without `neighbours`, auth and rooms are reached over HTTP.
public func buildApplication(
    settings: CallsSettings, clock: WallClock = .system, neighbours: CallsNeighbours? = nil
) async throws -> some ApplicationProtocol {
    let config = settings.service
    let backbone = try ServiceBackbone(config: config, clock: .system, tokenKeys: neighbours?.tokenKeys)
    let neighbours = try neighbours ?? .overHTTP(backbone, authURL: config.authURL, roomsURL: settings.roomsURL)
    let (logger, postgres) = (backbone.logger, backbone.postgres)
    let calls = Calls(
        store: CallStore(db: postgres, logger: logger), outbox: backbone.outbox, rooms: neighbours.rooms, users: neighbours.users,
        publisher: SignalPublisher(redis: backbone.redis), clock: clock,
        ringSeconds: settings.ringSeconds, logger: logger)

    let router = Router<ServiceRequestContext>.service(config: config, tracer: backbone.tracing.tracer, readiness: backbone.readiness)
    let authenticated = router.group().add(middleware: AuthMiddleware(verifier: backbone.verifier))
    CallRoutes(calls: calls, turn: settings.turn, clock: clock).add(to: authenticated)
    DeadLetters(outbox: backbone.outbox).addRoutes(to: router, serviceToken: config.serviceToken)

    let sweeper = RingSweeper(calls: calls, clock: clock, interval: settings.ringSweepInterval, logger: logger)
    var app = Application(router: router, configuration: config.applicationConfiguration, services: backbone.services + [sweeper], logger: logger)
    app.beforeServerStarts {
        try await MigrationRunner(client: postgres, schema: config.postgres.schema, directory: migrationsDirectory, logger: logger).run()
    }
    return app
}

/// The `Migrations` folder, bundled as a resource of this library.
let migrationsDirectory = Bundle.module.resourceURL!.appendingPathComponent("Migrations")
