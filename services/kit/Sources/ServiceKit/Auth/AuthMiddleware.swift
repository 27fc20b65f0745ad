import Foundation
import Hummingbird

/// A request context that can carry the authenticated caller.
public protocol AuthenticatedRequestContext: RequestContext {
    var identity: Identity? { get set }
}

extension ServiceRequestContext: AuthenticatedRequestContext {}

/// Requires a valid bearer token; routes outside its group are the only public ones.
public struct AuthMiddleware<Context: AuthenticatedRequestContext>: RouterMiddleware {
    let verifier: TokenVerifier

    public init(verifier: TokenVerifier) {
        self.verifier = verifier
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let token = request.bearerToken else {
            throw AppError.unauthorized("missing bearer token")
        }
        var context = context
        context.identity = try await verifier.verify(token)
        return try await next(request, context)
    }
}

extension HTTPFields {
    /// The token of an `Authorization: Bearer` header.
    public var bearerToken: String? {
        guard let header = self[.authorization] else { return nil }
        let prefix = "bearer "
        guard header.count > prefix.count, header.lowercased().hasPrefix(prefix) else { return nil }
        return String(header.dropFirst(prefix.count)).trimmingCharacters(in: .whitespaces)
    }
}

extension Request {
    public var bearerToken: String? { headers.bearerToken }
}
