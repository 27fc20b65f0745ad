import Hummingbird
import Logging

/// The request context of every JSON service: API coding, the caller once authenticated, and
/// where the request came from.
public struct ServiceRequestContext: ClientAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware`; nil only on the public routes.
    public var identity: Identity?
    public let peerAddress: String?
    public var clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
        self.peerAddress = source.channel.remoteAddress?.ipAddress
        self.clientAddress = peerAddress
    }

    public var requestDecoder: APIRequestDecoder { APIRequestDecoder() }
    public var responseEncoder: APIResponseEncoder { APIResponseEncoder() }

    /// The caller; handlers behind `AuthMiddleware` use this instead of unwrapping `identity`.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw AppError.unauthorized() }
        return identity
    }
}
