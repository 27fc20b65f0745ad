import Foundation
import Hummingbird
import PongRules
import ServiceKit

/// The one composition root of the games service, used by the executable and by tests. `clock`
/// runs the matches' ticks and dates invitations (a test plays a whole match by moving it);
/// tokens are checked against the system time. Without `neighbours`, auth and rooms are reached
/// over HTTP.
public func buildApplication(
    settings: GamesSettings, clock: WallClock = .system, neighbours: GamesNeighbours? = nil
) async throws -> some ApplicationProtocol {
    let config = settings.service
    let backbone = try ServiceBackbone(config: config, clock: .system, tokenKeys: neighbours?.tokenKeys)
    let neighbours = try neighbours ?? .overHTTP(backbone, authURL: config.authURL, roomsURL: settings.roomsURL)
    let (logger, postgres) = (backbone.logger, backbone.postgres)
    let store = GameStore(db: postgres, logger: logger)
    let results = MatchResults(store: store, outbox: backbone.outbox, users: neighbours.users, clock: clock, logger: logger)
    let host = MatchHost(
        rules: PongRules(), timing: .init(awayAfter: settings.playerAwayAfter, frameEvery: settings.stateFrameEveryTicks), clock: clock,
        results: results, publisher: SignalPublisher(redis: backbone.redis), logger: logger)
    let games = Games(
        store: store, outbox: backbone.outbox, rooms: neighbours.rooms, users: neighbours.users, host: host, clock: clock,
        invitationLifetime: settings.invitationLifetime)

    let router = Router<ServiceRequestContext>.service(config: config, tracer: backbone.tracing.tracer, readiness: backbone.readiness)
    let authenticated = router.group().add(middleware: AuthMiddleware(verifier: backbone.verifier))
    GameRoutes(games: games).add(to: authenticated)
    DeadLetters(outbox: backbone.outbox).addRoutes(to: router, serviceToken: config.serviceToken)

    var app = Application(router: router, configuration: config.applicationConfiguration, services: backbone.services + [host], logger: logger)
    app.beforeServerStarts {
        try await MigrationRunner(client: postgres, schema: config.postgres.schema, directory: migrationsDirectory, logger: logger).run()
        try await results.abandonLeftovers()
    }
    return app
}

/// The `Migrations` folder, bundled as a resource of this library.
let migrationsDirectory = Bundle.module.resourceURL!.appendingPathComponent("Migrations")
