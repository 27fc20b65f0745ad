import Hummingbird
import Logging

/// The request context of every JSON service: API coding, and the caller once authenticated.
public struct ServiceRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// Set by `AuthMiddleware`; nil only on the public routes.
    public var identity: Identity?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.identity = nil
    }

    public var requestDecoder: APIRequestDecoder { APIRequestDecoder() }
    public var responseEncoder: APIResponseEncoder { APIResponseEncoder() }

    /// The caller; handlers behind `AuthMiddleware` use this instead of unwrapping `identity`.
    public func requireIdentity() throws -> Identity {
        guard let identity else { throw AppError.unauthorized() }
        return identity
    }
}
