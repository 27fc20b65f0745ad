import Hummingbird
import ServiceKit

/// The gateway's request context: API JSON coding for its own replies (errors, health).
/// Tokens are checked per route by `EdgeRoutes`; the services re-check them themselves.
public struct GatewayRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
    }

    public var requestDecoder: APIRequestDecoder { APIRequestDecoder() }
    public var responseEncoder: APIResponseEncoder { APIResponseEncoder() }
}
