import Hummingbird
import ServiceKit

/// The gateway's request context: API JSON coding for its own replies (errors, health), and the
/// client's address (resolved by `ClientAddressMiddleware`, passed on to the services). Tokens
/// are checked per route by `EdgeRoutes`; the services re-check them themselves.
public struct GatewayRequestContext: ClientAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    public let peerAddress: String?
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.peerAddress = source.channel.remoteAddress?.ipAddress
        self.clientAddress = peerAddress
    }

    public var requestDecoder: APIRequestDecoder { APIRequestDecoder() }
    public var responseEncoder: APIResponseEncoder { APIResponseEncoder() }
}
