import Hummingbird
import Tracing

extension Router where Context: ClientAddressRequestContext {
    /// The router every service starts from: a span per request (`tracer`), request ids, metrics, the one error mapping, the
    /// client's address, the body size limit, text Postgres cannot store refused in the query
    /// (bodies are checked as they are decoded), and the health and metrics routes. A service that takes uploads passes
    /// `streamingBodies`: bodies then reach handlers unread, with only their declared length checked.
    public static func service(
        config: ServiceConfig, tracer: any Tracer, readiness: [ReadinessCheck], streamingBodies: Bool = false
    ) -> Router<Context> {
        let router = Router<Context>(context: Context.self)
        router.addMiddleware {
            RequestSpanMiddleware(tracer: tracer)
            RequestIDMiddleware()
            MetricsMiddleware()
            ErrorMiddleware()
            ClientAddressMiddleware(trusted: config.trustedProxies)
            StorableQueryMiddleware()
            RequestSizeLimitMiddleware(maxBytes: config.maxBodyBytes, collectsBody: !streamingBodies)
        }
        router.addOperationalRoutes(readiness: readiness)
        return router
    }
}
