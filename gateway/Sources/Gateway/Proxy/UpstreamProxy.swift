import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceKit
import Tracing

/// Forwards a request to the service that owns its path and streams the reply back. Neither body
/// is held whole: bytes flow through as they arrive, with the request body counted against the
/// limit on the way.
struct UpstreamProxy: Sendable {
    let httpClient: HTTPClient
    let pool: UpstreamPool
    let timeout: TimeInterval
    let maxBodyBytes: Int
    let uploadBodyBytes: Int
    let tracer: any Tracer

    /// Connection-scoped headers (RFC 9110 §7.6.1) are not forwarded in either direction.
    static let hopByHop: Set<String> = [
        "connection", "keep-alive", "proxy-connection", "te", "trailer", "transfer-encoding", "upgrade",
        "proxy-authenticate", "proxy-authorization", "host",
    ]

    /// What a client may claim about its own address: never passed on. The services learn it
    /// from the gateway's own `X-Forwarded-For`, which holds the address the gateway resolved.
    static let clientClaims: Set<String> = ["x-forwarded-for", "forwarded", "x-real-ip"]

    func forward(_ request: Request, to upstream: String, context: some ClientAddressRequestContext) async throws -> Response {
        let base = try pool.requireInstance(of: upstream)
        let limit = RouteTable.uploadUpstreams.contains(upstream) ? uploadBodyBytes : maxBodyBytes
        let declaredLength = request.headers[.contentLength].flatMap(Int.init)
        if let declaredLength, declaredLength > limit { throw AppError.payloadTooLarge(limit: limit) }

        var outbound = HTTPClientRequest(url: request.uri.string)
        outbound.method = .init(rawValue: request.method.rawValue)
        // Content-Length is set by the client from the body's declared length.
        for field in request.headers
        where !Self.hopByHop.contains(field.name.canonicalName) && !Self.clientClaims.contains(field.name.canonicalName)
            && field.name != .contentLength
        {
            outbound.headers.add(name: field.name.rawName, value: field.value)
        }
        if let clientAddress = context.clientAddress { outbound.headers.add(name: "X-Forwarded-For", value: clientAddress) }
        // The client's trace headers are replaced by this call's span, the parent of the upstream's.
        let span = tracer.startSpan("\(upstream) \(request.method.rawValue)", ofKind: .client)
        defer { span.end() }
        span.updateAttributes { $0["peer.service"] = upstream }
        for name in ["traceparent", "tracestate"] { outbound.headers.remove(name: name) }
        tracer.inject(span.context, into: &outbound.headers)
        if let requestID = context.logger[metadataKey: "request_id"] {
            outbound.headers.replaceOrAdd(name: "X-Request-Id", value: "\(requestID)")
        }
        let body: ForwardedBody? =
            declaredLength != 0 && request.method != .get && request.method != .head
            ? ForwardedBody(request.body, limit: limit) : nil
        if let body { outbound.body = .stream(body, length: declaredLength.map { .known(Int64($0)) } ?? .unknown) }

        let reply: HTTPClientResponse
        do {
            reply = try await execute(outbound, on: base, of: upstream, context: context)
        } catch let error where body == nil && Self.unreachable(error) && request.method == .get {
            // A read that found its instance gone is asked of another, if there is one.
            guard let other = pool.instance(of: upstream), other != base else { throw Self.failure(error, of: upstream) }
            do {
                reply = try await execute(outbound, on: other, of: upstream, context: context)
            } catch {
                throw Self.failure(error, of: upstream)
            }
        } catch {
            await body?.stop()
            span.recordError(error)
            throw Self.failure(error, of: upstream)
        }
        span.updateAttributes { $0["http.response.status_code"] = Int(reply.status.code) }

        var headers = HTTPFields()
        for (name, value) in reply.headers where !Self.hopByHop.contains(name.lowercased()) {
            if let fieldName = HTTPField.Name(name) { headers.append(HTTPField(name: fieldName, value: value)) }
        }
        // An answer may come before the whole body was read (a refusal). The body's reading stops
        // once the answer was forwarded, not before: the upstream request fails when its body
        // ends early, and an answer still streaming with it.
        return Response(status: .init(code: Int(reply.status.code)), headers: headers, body: ResponseBody { writer in
            do {
                for try await chunk in reply.body { try await writer.write(chunk) }
                try await writer.finish(nil)
            } catch {
                await body?.stop()
                throw error
            }
            await body?.stop()
        })
    }

    /// `outbound` (its path) sent to `instance`; an instance that cannot be reached is marked so.
    private func execute(
        _ outbound: HTTPClientRequest, on instance: String, of upstream: String, context: some ClientAddressRequestContext
    ) async throws -> HTTPClientResponse {
        var outbound = outbound
        outbound.url = instance + outbound.url
        do {
            return try await httpClient.execute(outbound, timeout: .milliseconds(Int64(timeout * 1000)), logger: context.logger)
        } catch {
            if Self.unreachable(error) { pool.mark(instance, of: upstream, answering: false) }
            throw error
        }
    }

    /// An instance that did not take the request at all (not one that is slow to answer it).
    static func unreachable(_ error: any Error) -> Bool {
        switch error {
        case is AppError: false
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout: false
        default: true
        }
    }

    /// What a client hears when the upstream could not be asked: its own refusal (a body over
    /// the limit), a timeout, or the upstream being unavailable.
    static func failure(_ error: any Error, of upstream: String) -> AppError {
        switch error {
        case let error as AppError:
            return error
        case let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout:
            return AppError(.gatewayTimeout, code: "upstream_timeout", message: "\(upstream) did not answer in time", internalDetail: "\(error)")
        default:
            return AppError.serviceUnavailable(upstream, internalDetail: "\(error)")
        }
    }
}
