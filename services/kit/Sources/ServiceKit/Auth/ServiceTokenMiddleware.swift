import Crypto
import Foundation
import Hummingbird

/// Guards `/internal/*`: only callers holding the shared service credential get through. Anyone
/// else gets 404, so the internal API does not even show that it exists.
public struct ServiceTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    private let expectedDigest: SHA256.Digest

    public init(token: String) {
        self.expectedDigest = SHA256.hash(data: Data(token.utf8))
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        // Comparing digests (Crypto's `==` is constant-time) keeps the comparison from leaking
        // how much of a guessed token was right.
        guard let token = request.bearerToken, SHA256.hash(data: Data(token.utf8)) == expectedDigest else {
            throw AppError.notFound()
        }
        return try await next(request, context)
    }
}
