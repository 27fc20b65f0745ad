import Hummingbird
import HummingbirdWebSocket
import ServiceKit

/// The gateway's request context: the caller once verified at the edge, and WebSocket upgrades.
public struct GatewayRequestContext: RequestContext, WebSocketRequestContext, AuthenticatedRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let webSocket: WebSocketHandlerReference<GatewayRequestContext>
    public var identity: Identity?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.webSocket = .init()
        self.identity = nil
    }

    public var requestDecoder: APIRequestDecoder { APIRequestDecoder() }
    public var responseEncoder: APIResponseEncoder { APIResponseEncoder() }
}
