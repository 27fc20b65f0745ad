import Hummingbird
import Logging
import ServiceKit
import Tracing

/// What only the other services and operators may reach, on its own listener
/// (`INTERNAL_HTTP_HOST`:`INTERNAL_HTTP_PORT`, loopback by default) and never on the public port:
/// the producers' event intake (`POST /internal/events`, service token), `/metrics`, and the
/// health routes with the detailed `/health/ready`. A second Hummingbird application in the same
/// process, run as one of the public application's services.
enum InternalSurface {
    static func application(
        settings: GatewaySettings, intake: EventIntake, redis: RedisClient, tracer: any Tracer, logger: Logger
    ) -> some ApplicationProtocol {
        let router = Router<GatewayRequestContext>(context: GatewayRequestContext.self)
        router.addMiddleware {
            RequestIDMiddleware()
            ErrorMiddleware()
        }
        router.addOperationalRoutes(readiness: [ReadinessCheck("redis") { await redis.ping() }])
        EventReceiver.add(to: router, serviceToken: settings.service.serviceToken, handler: intake, tracer: tracer)
        return Application(
            router: router,
            configuration: .init(address: .hostname(settings.internalHost, port: settings.internalPort), serverName: "gateway-internal"),
            logger: logger)
    }
}
