import AsyncHTTPClient
import Foundation
import NIOCore
import ServiceKit
import Tracing

/// What a WebSocket client asks of a service (messages' `send_message` and `read_message`, games'
/// `pong_input`): the very REST calls a client makes, with the client's own token, so every rule
/// (and messages' `client_id` idempotency) applies alike, and the ack carries exactly what REST
/// would return.
struct ServicePeer: Sendable {
    /// The upstream's name in the route table (`messages`, `games`).
    let service: String
    let httpClient: HTTPClient
    let pool: UpstreamPool
    let timeout: TimeInterval
    let tracer: any Tracer
    static let maxReplyBytes = 1 << 20

    /// The reply's JSON on 2xx; otherwise the service's own error (status, code, message, details).
    /// `clientAddress` goes along as `X-Forwarded-For`, as on the client's REST calls.
    func post(_ path: String, body: JSONValue, token: String, clientAddress: String?) async throws -> JSONValue {
        let instance = try pool.requireInstance(of: service)
        var request = HTTPClientRequest(url: instance + path)
        request.method = .POST
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        if let clientAddress { request.headers.add(name: "X-Forwarded-For", value: clientAddress) }
        request.headers.add(name: "Content-Type", value: "application/json")
        let span = tracer.startSpan("\(service) POST", ofKind: .client)
        defer { span.end() }
        span.updateAttributes { $0["peer.service"] = service }
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
            if UpstreamProxy.unreachable(error) { pool.mark(instance, of: service, answering: false) }
            throw AppError.serviceUnavailable(service, internalDetail: "\(error)")
        }
        guard (200..<300).contains(status) else {
            guard let error = try? JSONDecoder().decode(AppError.Body.self, from: body).error else {
                throw AppError.serviceUnavailable(service, internalDetail: "answered \(status) without an error body")
            }
            throw AppError(.init(code: status), code: error.code, message: error.message, details: error.details ?? [:])
        }
        return (try? JSONValue(parsing: body)) ?? .null
    }
}
