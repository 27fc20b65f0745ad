import Hummingbird
import Tracing

/// One server span per request, continuing the caller's trace (`traceparent`) and current while
/// the request is handled, so the spans of the peers it calls and the events it emits are its
/// children. Named `METHOD /route` (the route's pattern, so ids do not make every name new); no
/// header, query or body is recorded (they hold tokens and what people wrote).
public struct RequestSpanMiddleware<Context: RequestContext>: RouterMiddleware {
    let tracer: any Tracer

    public init(tracer: any Tracer) {
        self.tracer = tracer
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var parent = InstrumentationContext.current ?? .topLevel
        tracer.extract(request.headers, into: &parent, using: HTTPFieldsExtractor())
        let method = request.method.rawValue
        let span = tracer.startSpan(method, context: parent, ofKind: .server)
        span.updateAttributes { attributes in
            attributes["http.request.method"] = method
            attributes["url.path"] = request.uri.path
        }
        defer { span.end() }
        return try await InstrumentationContext.$current.withValue(span.context) {
            do {
                let response = try await next(request, context)
                record(status: response.status, route: context.endpointPath, on: span)
                return response
            } catch {
                record(status: (error as? any HTTPResponseError)?.status ?? .internalServerError, route: context.endpointPath, on: span)
                span.recordError(error)
                throw error
            }
        }
    }

    private func record(status: HTTPResponse.Status, route: String?, on span: any Span) {
        if let route { span.operationName = "\(span.operationName) \(route)" }
        span.updateAttributes { attributes in
            attributes["http.route"] = route
            attributes["http.response.status_code"] = Int(status.code)
        }
        if status.code >= 500 { span.setStatus(SpanStatus(code: .error)) }
    }
}
