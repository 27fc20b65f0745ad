import AsyncHTTPClient
import Foundation
import NIOCore
import ServiceKit
import Tracing

/// What a WebSocket client asks of messages (`send_message`, `read_message`): the very REST calls
/// a client makes, with the client's own token, so every rule and the `client_id` idempotency
/// apply alike, and the ack carries exactly what REST would return.
struct MessagesPeer: Sendable {
    let httpClient: HTTPClient
    let pool: UpstreamPool
    let timeout: TimeInterval
    let tracer: any Tracer
    static let maxReplyBytes = 1 << 20

    /// The reply's JSON on 2xx; otherwise the service's own error (status, code, message, details).
    /// `clientAddress` goes along as `X-Forwarded-For`, as on the client's REST calls.
    func post(_ path: String, body: JSONValue, token: String, clientAddress: String?) async throws -> JSONValue {
        let instance = try pool.requireInstance(of: "messages")
        var request = HTTPClientRequest(url: instance + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let clientAddress { request.headers.add(name: "X-Forwarded-For", value: clientAddress) }
        request.headers.add(name: "Content-Type", value: "application/json")
        let span = tracer.startSpan("messages POST", ofKind: .client)
        defer { span.end() }
        span.updateAttributes { $0["peer.service"] = "messages" }
        tracer.inject(span.context, into: &request.headers)
        request.body = .bytes(ByteBuffer(data: try JSONEncoder().encode(body)))
        let body: Data
        let status: Int
        do {
            let reply = try await httpClient.execute(request, timeout: .milliseconds(Int64(timeout * 1000)))
            status = Int(reply.status.code)
            body = Data(buffer: try await reply.body.collect(upTo: Self.maxReplyBytes))
        } catch {
            span.recordError(error)
            if UpstreamProxy.unreachable(error) { pool.mark(instance, of: "messages", answering: false) }
            throw AppError.serviceUnavailable("messages", internalDetail: "\(error)")
        }
        guard (200..<300).contains(status) else {
            guard let error = try? JSONDecoder().decode(AppError.Body.self, from: body).error else {
                throw AppError.serviceUnavailable("messages", internalDetail: "answered \(status) without an error body")
            }
            throw AppError(.init(code: status), code: error.code, message: error.message, details: error.details ?? [:])
        }
        return (try? JSONValue(parsing: body)) ?? .null
    }
}
