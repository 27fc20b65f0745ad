import AsyncHTTPClient
import Foundation
import Hummingbird
import HummingbirdWebSocket
import ServiceKit

/// The one composition root of the gateway, used by the executable and by tests.
public func buildApplication(settings: GatewaySettings, clock: WallClock = .system) async throws -> some ApplicationProtocol {
    let config = settings.service
    let logger = config.logger()
    let redis = RedisClient(settings: config.redis)
    // Redirects are the client's business; the gateway passes replies through as they are.
    let http = HTTPClientService(configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(2))))
    let verifier = TokenVerifier(
        keys: JWKSCache(authURL: config.authURL, httpClient: http.client, clock: clock, logger: logger),
        revocations: SessionRevocations(redis: redis), issuer: config.jwtIssuer, audience: config.jwtAudience, clock: clock)

    let router = Router<GatewayRequestContext>(context: GatewayRequestContext.self)
    router.addMiddleware {
        RequestIDMiddleware()
        MetricsMiddleware()
        EdgePolicyMiddleware(allowedOrigins: Set(settings.corsOrigins))
        ErrorMiddleware()
    }
    router.addOperationalRoutes(readiness: [ReadinessCheck("redis") { await redis.ping() }])

    let upgradeRouter = Router<GatewayRequestContext>(context: GatewayRequestContext.self)
    upgradeRouter.addMiddleware {
        RequestIDMiddleware()
        ErrorMiddleware()
    }
    WebSocketEndpoint(verifier: verifier, authClient: AuthClient(httpClient: http.client, baseURL: config.authURL))
        .add(upgradeRouter: upgradeRouter, httpRouter: router)

    let proxy = UpstreamProxy(
        httpClient: http.client, upstreams: settings.upstreams, timeout: settings.upstreamTimeout, maxBodyBytes: config.maxBodyBytes)
    EdgeRoutes(proxy: proxy, verifier: verifier).add(to: router)

    return Application(
        router: router,
        server: .http1WebSocketUpgrade(
            webSocketRouter: upgradeRouter,
            configuration: .init(ws: .init(maxFrameSize: WebSocketEndpoint.maxMessageBytes, autoPing: .enabled(timePeriod: .seconds(settings.webSocketPingInterval))))),
        configuration: config.applicationConfiguration,
        services: [redis, http],
        logger: logger)
}
