import Foundation
import HTTPTypes
import OpenAPIRuntime
import Tracing

/// One client span per call a generated client makes to a peer, its context sent along
/// (`traceparent`), so the peer's server span is its child.
struct ClientSpanMiddleware: ClientMiddleware {
    let tracer: any Tracer
    /// The peer service's name, for the span's name (`rooms getMemberAccess`).
    let peer: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        let span = tracer.startSpan("\(peer) \(operationID)", ofKind: .client)
        defer { span.end() }
        span.updateAttributes { attributes in
            attributes["http.request.method"] = request.method.rawValue
            attributes["server.address"] = baseURL.host
            attributes["peer.service"] = peer
        }
        var request = request
        tracer.inject(span.context, into: &request.headerFields, using: HTTPFieldsInjector())
        do {
            let (response, responseBody) = try await next(request, body, baseURL)
            span.updateAttributes { $0["http.response.status_code"] = response.status.code }
            if response.status.code >= 500 { span.setStatus(SpanStatus(code: .error)) }
            return (response, responseBody)
        } catch {
            span.recordError(error)
            throw error
        }
    }
}
