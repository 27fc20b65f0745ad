import Hummingbird

/// Rejects a body over `maxBytes` with 413: at once when `Content-Length` says so, otherwise as
/// soon as the streamed body passes the limit. JSON services read small bodies whole, so the
/// checked body is handed on already collected. Without `collectsBody` only the declared length is
/// checked and the body streams on unread: its handler counts it (an upload, say).
public struct RequestSizeLimitMiddleware<Context: RequestContext>: RouterMiddleware {
    let maxBytes: Int
    let collectsBody: Bool

    public init(maxBytes: Int, collectsBody: Bool = true) {
        self.maxBytes = maxBytes
        self.collectsBody = collectsBody
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let declared = request.headers[.contentLength].flatMap(Int.init), declared > maxBytes {
            throw AppError.payloadTooLarge(limit: maxBytes)
        }
        guard collectsBody else { return try await next(request, context) }
        var request = request
        do {
            _ = try await request.collectBody(upTo: maxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw AppError.payloadTooLarge(limit: maxBytes)
        }
        return try await next(request, context)
    }
}
