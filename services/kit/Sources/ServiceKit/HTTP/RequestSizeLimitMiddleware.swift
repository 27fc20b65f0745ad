import Hummingbird

/// Rejects a body over `maxBytes` with 413: at once when `Content-Length` says so, otherwise as
/// soon as the streamed body passes the limit. JSON services read small bodies whole, so the
/// checked body is handed on already collected.
public struct RequestSizeLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int

    public init(maxBytes: Int) {
        self.maxBytes = maxBytes
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBytes {
            throw AppError.payloadTooLarge(limit: maxBytes)
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw AppError.payloadTooLarge(limit: maxBytes)
        }
        return try await next(request, context)
    }
}
