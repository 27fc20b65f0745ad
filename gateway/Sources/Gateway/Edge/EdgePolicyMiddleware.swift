import HTTPTypes
import Hummingbird
import ServiceKit

/// Browser-facing policy: CORS for the configured origins only, and security headers on every
/// reply (errors included).
struct EdgePolicyMiddleware<Context: RequestContext>: RouterMiddleware {
    let allowedOrigins: Set<String>

    static var securityHeaders: HTTPFields {
        [
            .init("X-Content-Type-Options")!: "nosniff",
            .init("X-Frame-Options")!: "DENY",
            .init("Referrer-Policy")!: "no-referrer",
            .contentSecurityPolicy: "default-src 'self'; connect-src 'self' ws: wss:; img-src 'self' data: blob:; frame-ancestors 'none'",
        ]
    }

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let origin = request.headers[.origin].flatMap { allowedOrigins.contains($0) ? $0 : nil }
        if request.method == .options, origin != nil, request.headers[.accessControlRequestMethod] != nil {
            var response = Response(status: .noContent)
            decorate(&response.headers, origin: origin)
            response.headers[.accessControlAllowMethods] = "GET, POST, PUT, PATCH, DELETE, OPTIONS"
            response.headers[.accessControlAllowHeaders] = "Authorization, Content-Type, X-Request-Id, Range"
            response.headers[.accessControlMaxAge] = "600"
            return response
        }
        do {
            var response = try await next(request, context)
            decorate(&response.headers, origin: origin)
            return response
        } catch var error as AppError {
            decorate(&error.headers, origin: origin)
            throw error
        }
    }

    private func decorate(_ headers: inout HTTPFields, origin: String?) {
        for field in Self.securityHeaders where headers[field.name] == nil {
            headers.append(field)
        }
        if let origin {
            headers[.accessControlAllowOrigin] = origin
            headers[.accessControlExposeHeaders] = "X-Request-Id, Retry-After, Content-Disposition, ETag"
            headers.append(HTTPField(name: .vary, value: "Origin"))
        }
    }
}
