import AsyncHTTPClient
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import ServiceKit
import Testing
import TestSupport

@testable import Gateway

/// The gateway as the edge: what the public port serves (issue 15, row 9), requests it answers
/// itself because they are malformed (row 11), and the client address it tells the services.
@Suite struct EdgeTests {
    /// A GET of `url`, or a POST of `body` as JSON.
    static func fetch(_ url: String, token: String? = nil, body: String? = nil) async throws -> (status: Int, body: String) {
        var request = HTTPClientRequest(url: url)
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.method = .POST
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let reply = try await HTTPClient.shared.execute(request, timeout: .seconds(10))
        return (Int(reply.status.code), String(buffer: try await reply.body.collect(upTo: 1 << 20)))
    }

    @Test func metricsReadinessAndTheEventIntakeAreOnlyOnTheInternalPort() async throws {
        try await withGateway { stack in
            let user = try await stack.user()
            #expect(try await stack.gateway.call(.get, "/health/live").status == .ok)
            for path in ["/metrics", "/health/ready"] {
                let reply = try await stack.gateway.call(.get, path, token: user.token)
                #expect(reply.status == .notFound && reply.errorCode == "not_found", "\(path) on the public port")
            }
            let intake = try await stack.gateway.call(.post, "/internal/events", rawBody: #"{"events":[]}"#, token: TestEnvironment.serviceToken)
            #expect(intake.status == .notFound, "not even with the service token")

            let internalURL = "http://127.0.0.1:\(stack.internalPort)"
            let metrics = try await Self.fetch(internalURL + "/metrics")
            #expect(metrics.status == 200 && metrics.body.contains("hb_requests"))
            let ready = try await Self.fetch(internalURL + "/health/ready")
            #expect(ready.status == 200 && ready.body.contains(#""redis":"ok""#))
            #expect(try await Self.fetch(internalURL + "/internal/events", token: TestEnvironment.serviceToken, body: #"{"events":[]}"#).status == 204)
            #expect(try await Self.fetch(internalURL + "/internal/events", token: user.token, body: #"{"events":[]}"#).status == 404)
        }
    }

    /// Raw requests no HTTP client would send; each is answered at once (`RawHTTP` gives up after
    /// 5 s, so a hang fails rather than stalls the run).
    @Test(arguments: [
        ("a NUL in a header value", "GET /auth/me HTTP/1.1\r\nHost: x\r\nX-Note: a\u{0}b\r\n\r\n"),
        ("a NUL in an upgrade's header", "GET /ws?token=x HTTP/1.1\r\nHost: x\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nX-Note: \u{0}\r\n\r\n"),
        ("a bare CR in a header value", "POST /auth/login HTTP/1.1\r\nHost: x\r\nX-Note: a\rb\r\nContent-Length: 0\r\n\r\n"),
        ("a control character in a header value", "GET /auth/me HTTP/1.1\r\nHost: x\r\nX-Note: a\u{1}b\r\n\r\n"),
        ("a space in a header name", "GET /auth/me HTTP/1.1\r\nHost: x\r\nX Note: a\r\n\r\n"),
        ("an absurdly large header", "GET /auth/me HTTP/1.1\r\nHost: x\r\nX-Note: \(String(repeating: "a", count: 200_000))\r\n\r\n"),
        ("a malformed request line", "GET /auth/me HTTP/1.1 extra\r\nHost: x\r\n\r\n"),
    ])
    func malformedRequestsAreAnsweredAtOnce(_ shape: String, _ request: String) async throws {
        try await withGateway { stack in
            let reply = try await RawHTTP.exchange(port: stack.port, request)
            #expect(reply.hasPrefix("HTTP/1.1 400"), "\(shape): \(reply.prefix(120))")
            #expect(reply.contains(#""code":"bad_request""#), "\(shape): \(reply.prefix(300))")
        }
    }

    @Test(arguments: ["/auth/%zz", "/rooms/%C3%28"])
    func pathsNoServiceCouldReadAre400(path: String) async throws {
        try await withGateway { stack in
            let reply = try await RawHTTP.exchange(port: stack.port, "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(reply.hasPrefix("HTTP/1.1 400") && reply.contains(#""code":"bad_request""#), "\(path): \(reply.prefix(300))")
        }
    }

    /// No id, code or emoji holds a control character: such a path names nothing, as an unknown id does.
    @Test(arguments: ["/auth/me%00", "/rooms/%0d%0aX-Injected:%201", "/users/%C2%91/block"])
    func pathsSpellingControlCharactersAre404(path: String) async throws {
        try await withGateway { stack in
            let reply = try await RawHTTP.exchange(port: stack.port, "GET \(path) HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            #expect(reply.hasPrefix("HTTP/1.1 404") && reply.contains(#""code":"not_found""#), "\(path): \(reply.prefix(300))")
        }
    }

    @Test func aMalformedRequestAfterAGoodOneOnTheSameConnectionIsAnsweredToo() async throws {
        try await withGateway { stack in
            let replies = try await RawHTTP.exchange(
                port: stack.port, "GET /health/live HTTP/1.1\r\nHost: x\r\n\r\n", "GET /health/live HTTP/1.1\r\nHost: x\r\nX-Note: \u{0}\r\n\r\n",
                answered: { $0.hasSuffix(#"{"status":"ok"}"#) })
            #expect(replies.hasPrefix("HTTP/1.1 200"))
            #expect(replies.contains("HTTP/1.1 400"), "\(replies)")
        }
    }

    /// An upstream that refuses a request before reading its body (media refusing an upload's
    /// type) used to crash the gateway: the server drained the rest of the body while the upstream
    /// request was still reading it. The client gets the whole answer while it has not sent the
    /// rest of the body.
    @Test func anAnswerBeforeTheBodyWasReadLeavesTheGatewayServing() async throws {
        try await withGateway { stack in
            let user = try await stack.user()
            let refusal = #"{"error":{"code":"unsupported_media_type","message":"send the file as multipart/form-data"}}"#
            stack.upstream.answer(.post, "/attachments/upload", status: .unsupportedMediaType, json: refusal, beforeReadingTheBody: true)
            let head = "POST /attachments/upload HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(user.token)\r\n"
                + "Content-Type: application/json\r\nContent-Length: 1048576\r\n\r\n{\"a\":"
            let reply = try await RawHTTP.exchange(port: stack.port, head, done: { $0.hasSuffix("}}") })
            #expect(reply.hasPrefix("HTTP/1.1 415"), "\(reply.prefix(200))")
            #expect(reply.contains(#""code":"unsupported_media_type""#), "\(reply)")
            #expect(try await stack.gateway.call(.get, "/auth/me", token: user.token).status == .ok)
        }
    }

    @Test func servicesSeeTheClientAddressTheGatewayResolvedNeverWhatTheClientClaims() async throws {
        let claims: HTTPFields = [.xForwardedFor: "203.0.113.9", HTTPField.Name("X-Real-IP")!: "203.0.113.9", HTTPField.Name("Forwarded")!: "for=203.0.113.9"]
        try await withGateway { stack in
            _ = try await stack.gateway.call(.post, "/auth/login", json: [:], headers: claims)
            let seen = try #require(stack.upstream.received("/auth/login").first?.headers)
            #expect(seen[values: .xForwardedFor] == ["127.0.0.1"], "the socket's peer, not the claim")
            #expect(seen[HTTPField.Name("X-Real-IP")!] == nil && seen[HTTPField.Name("Forwarded")!] == nil)
        }
        // Behind a proxy it trusts, the gateway believes that proxy's X-Forwarded-For.
        try await withGateway(settings: ["TRUSTED_PROXIES": "127.0.0.1"]) { stack in
            _ = try await stack.gateway.call(.post, "/auth/login", json: [:], headers: claims)
            #expect(stack.upstream.received("/auth/login").first?.headers[values: .xForwardedFor] == ["203.0.113.9"])
        }
    }

    @Test func socketFramesCallMessagesWithTheClientsAddress() async throws {
        let upstream = UpstreamStandIn()
        try await upstream.serve { url in
            let messages = ServicePeer(service: "messages", httpClient: HTTPClient.shared, pool: UpstreamPool(instances: ["messages": [url]]), timeout: 10, tracer: ServiceTracing.off.tracer)
            _ = try await messages.post("/rooms/x/messages", body: .object([:]), token: "t", clientAddress: "198.51.100.7")
            #expect(upstream.received("/rooms/x/messages").first?.headers[values: .xForwardedFor] == ["198.51.100.7"])
        }
    }
}

/// Raw HTTP, for requests no HTTP client would send, on NIO (a blocking read would hold one of
/// the few threads the servers under test answer on).
enum RawHTTP {
    /// Sends `requests` on one new connection, each after the first once what arrived so far
    /// satisfies `answered`, and returns everything received until the server closed the
    /// connection or what arrived satisfies `done`. Fails after 5 s, so a request left unanswered
    /// fails the test instead of hanging the run.
    static func exchange(
        port: Int, _ requests: String..., answered: @escaping @Sendable (String) -> Bool = { _ in true },
        done: @escaping @Sendable (String) -> Bool = { _ in false }
    ) async throws -> String {
        try await withTimeout(seconds: 5) {
            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
            return try await channel.executeThenClose { inbound, outbound in
                var received = ByteBuffer()
                var chunks = inbound.makeAsyncIterator()
                for (index, request) in requests.enumerated() {
                    while index > 0, !answered(String(buffer: received)), let chunk = try await chunks.next() { received.writeImmutableBuffer(chunk) }
                    // A refused request may be answered before all of it is written.
                    try? await outbound.write(ByteBuffer(string: request))
                }
                // A reset after the answer (the server closing on a request it refused) ends the reading too.
                while !done(String(buffer: received)), let chunk = try? await chunks.next() { received.writeImmutableBuffer(chunk) }
                return String(buffer: received)
            }
        }
    }
}
