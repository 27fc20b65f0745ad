import Hummingbird

extension Router {
    /// The router every service starts from: request ids, metrics, the one error mapping, the
    /// body size limit, and the health and metrics routes.
    public static func service(config: ServiceConfig, readiness: [ReadinessCheck]) -> Router<Context> {
        let router = Router<Context>(context: Context.self)
        router.addMiddleware {
            RequestIDMiddleware()
            MetricsMiddleware()
            ErrorMiddleware()
            RequestSizeLimitMiddleware(maxBytes: config.maxBodyBytes)
        }
        router.addOperationalRoutes(readiness: readiness)
        return router
    }
}
