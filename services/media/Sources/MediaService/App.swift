import Foundation
import Hummingbird
import Logging
import NIOPosix
import ServiceKit
import ServiceLifecycle

/// The one composition root of the media service, used by the executable and by tests; without
/// `neighbours`, auth and messages are reached over HTTP.
public func buildApplication(
    settings: MediaSettings, clock: WallClock = .system, neighbours: MediaNeighbours? = nil
) async throws -> some ApplicationProtocol {
    let config = settings.service
    let backbone = try ServiceBackbone(config: config, clock: clock, tokenKeys: neighbours?.tokenKeys)
    let neighbours = try neighbours ?? .overHTTP(backbone, settings: settings)
    let (logger, postgres, http) = (backbone.logger, backbone.postgres, backbone.http)

    let objects: any ObjectStore
    switch settings.store {
    case "s3":
        guard let endpoint = URL(string: settings.s3.endpoint), endpoint.host != nil else {
            throw AppError.internal("S3_ENDPOINT is not a URL: \(settings.s3.endpoint)")
        }
        objects = S3ObjectStore(
            settings: S3Settings(
                endpoint: endpoint, region: settings.s3.region, bucket: settings.s3.bucket, accessKeyID: settings.s3.accessKeyID,
                secretAccessKey: settings.s3.secretAccessKey, pathStyle: settings.s3.pathStyle),
            httpClient: http.client)
    case "local":
        objects = try LocalObjectStore(root: settings.localStoreDirectory)
    default:
        throw AppError.internal("OBJECT_STORE must be local or s3, not \(settings.store)")
    }
    try FileManager.default.createDirectory(atPath: settings.spoolDirectory, withIntermediateDirectories: true)

    let env = MediaEnvironment(
        attachments: AttachmentStore(db: postgres, logger: logger), objects: objects,
        viewers: neighbours.viewers,
        ids: EventIDs(), clock: clock, logger: logger)
    let imagePool = NIOThreadPool(numberOfThreads: settings.imageConcurrency)
    imagePool.start()
    let uploads = Uploads(
        env: env, limiter: RateLimiter(redis: backbone.redis, prefix: "media:upload", setting: settings.uploadRate),
        receiver: UploadReceiver(maxFileBytes: settings.maxFileBytes, maxBodyBytes: config.maxBodyBytes, formLimits: settings.formLimits),
        scanner: MalwareScanner(host: settings.clamdHost, port: settings.clamdPort, verdictTimeout: settings.clamdTimeout),
        thumbnailer: Thumbnailer(pool: imagePool, maxPixels: settings.maxImagePixels, size: settings.thumbnailSize),
        spoolDirectory: settings.spoolDirectory)

    let router = Router<ServiceRequestContext>.service(config: config, tracer: backbone.tracing.tracer, readiness: backbone.readiness, streamingBodies: true)
    let authenticated = router.group().add(middleware: AuthMiddleware(verifier: backbone.verifier))
    AttachmentRoutes(env: env, uploads: uploads).add(to: authenticated)
    InternalRoutes(env: env).add(to: router, serviceToken: config.serviceToken)
    EventReceiver.add(to: router, serviceToken: config.serviceToken, handler: MessageEventsConsumer(env: env), tracer: backbone.tracing.tracer)
    DeadLetters(outbox: backbone.outbox).addRoutes(to: router, serviceToken: config.serviceToken)

    let sweeper = UnlinkedAttachmentSweeper(env: env, ttl: settings.unlinkedTTL, interval: settings.sweepInterval)
    var app = Application(
        router: router, configuration: config.applicationConfiguration,
        services: backbone.services + [sweeper, ThreadPoolService(pool: imagePool)], logger: logger)
    app.beforeServerStarts {
        try await MigrationRunner(client: postgres, schema: config.postgres.schema, directory: migrationsDirectory, logger: logger).run()
        if let s3 = objects as? S3ObjectStore { try await s3.ensureBucket() }
    }
    return app
}

/// Shuts the image thread pool down with the application.
private struct ThreadPoolService: Service {
    let pool: NIOThreadPool

    func run() async throws {
        try? await gracefulShutdown()
        try await pool.shutdownGracefully()
    }
}

/// The `Migrations` folder, bundled as a resource of this library.
let migrationsDirectory = Bundle.module.resourceURL!.appendingPathComponent("Migrations")
