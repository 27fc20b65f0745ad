import Foundation
import HTTPTypes
import NeighbourFakes
import ServiceKit
import Testing
import TestSupport

/// The gateway's proxy, alone: what passes to the services behind it (an `UpstreamStandIn`) and
/// back, and what stops at the edge without reaching any of them.
@Suite struct ProxyTests {
    @Test func requestsAndRepliesPassThroughWithTheirQueriesAndTheCallersToken() async throws {
        try await withGateway { edge in
            let user = try await edge.user()
            edge.upstream.answer(.post, "/auth/login", json: #"{"token":"t","user":{"id":"u"}}"#)
            let login = try await edge.gateway.call(.post, "/auth/login", json: ["username": "someone", "password": "correct horse battery"])
            #expect(login.status == .ok && login["token"] as? String == "t")
            #expect(login.headers[.contentType]?.hasPrefix("application/json") == true)
            #expect(edge.upstream.received("/auth/login").first?.body.contains("correct horse battery") == true, "the body passes as sent")

            let search = try await edge.gateway.call(.get, "/users/search?q=gw_&limit=1", token: user.token)
            #expect(search.status == .ok && search["answered_by"] as? String == "stand-in")
            let reached = try #require(edge.upstream.received("/users/search").first)
            #expect(reached.target == "/users/search?q=gw_&limit=1", "query strings pass through")
            #expect(reached.headers[.authorization] == "Bearer \(user.token)", "the service checks the caller's token itself")
        }
    }

    @Test func errorsFromTheServicePassThroughUnchanged() async throws {
        try await withGateway { edge in
            let refusal = #"{"error":{"code":"validation_failed","message":"username is too short","details":{"field":"username"}}}"#
            edge.upstream.answer(.post, "/auth/register", status: .badRequest, json: refusal)
            let reply = try await edge.gateway.call(.post, "/auth/register", json: ["username": "x", "password": "long enough"])
            #expect(reply.status == .badRequest && reply.errorField == "username")
            #expect(String(decoding: reply.body, as: UTF8.self) == refusal)
        }
    }

    @Test func theRequestIDTravelsToTheServiceAndBack() async throws {
        try await withGateway { edge in
            let id = HTTPField.Name("X-Request-Id")!
            let reply = try await edge.gateway.call(.get, "/health/live", headers: [id: "trace-me-1"])
            #expect(reply.headers[id] == "trace-me-1")
            let proxied = try await edge.gateway.call(.post, "/auth/login", json: ["username": "nobody_here", "password": "whatever pass"], headers: [id: "trace-me-2"])
            #expect(proxied.headers[id] == "trace-me-2")
            #expect(edge.upstream.received("/auth/login").first?.headers[id] == "trace-me-2")
        }
    }

    @Test(arguments: ["/internal/users", "/INTERNAL/users", "/%69nternal/users", "/internal"])
    func internalPathsAreNeverRouted(path: String) async throws {
        try await withGateway { edge in
            let user = try await edge.user()
            let reply = try await edge.gateway.call(.get, path, token: user.token)
            #expect(reply.status == .notFound && reply.errorCode == "not_found")
            #expect(edge.upstream.received.isEmpty)
        }
    }

    @Test func dotSegmentsAndUnknownPathsAreRefused() async throws {
        try await withGateway { edge in
            let user = try await edge.user()
            #expect(try await edge.gateway.call(.get, "/auth/../internal/x", token: user.token).status == .badRequest)
            #expect(try await edge.gateway.call(.get, "/auth/%2e%2e/internal/x", token: user.token).status == .badRequest)
            #expect(try await edge.gateway.call(.get, "/nowhere", token: user.token).status == .notFound)
            #expect(edge.upstream.received.isEmpty)
        }
    }

    @Test func theEdgeRejectsMissingInvalidAndRevokedTokens() async throws {
        try await withGateway { edge in
            let missing = try await edge.gateway.call(.get, "/auth/me")
            #expect(missing.status == .unauthorized && missing.errorCode == "unauthorized")
            #expect(try await edge.gateway.call(.get, "/users/search?q=a", token: "a.b.c").status == .unauthorized)
            let stranger = TestTokens()
            let forged = try await stranger.token(for: UUID(), now: Date())
            #expect(try await edge.gateway.call(.get, "/users/search?q=a", token: forged).status == .unauthorized, "signed by a key auth does not have")

            // Logged out: auth revokes the session in Redis, and the gateway refuses its token.
            let (user, session) = (UUID(), UUID())
            let token = try await edge.tokens.token(for: user, session: session, now: Date())
            #expect(try await edge.gateway.call(.get, "/auth/me", token: token).status == .ok)
            try await SessionRevocations(redis: edge.redis).revoke(sessionID: session, until: Date().addingTimeInterval(3600), now: Date())
            #expect(try await edge.gateway.call(.get, "/auth/me", token: token).status == .unauthorized)
            #expect(edge.upstream.received("/auth/me").count == 1)
            #expect(edge.upstream.received("/users/search").isEmpty)
        }
    }

    @Test func aStoppedServiceIs503() async throws {
        // Nothing listens on port 1 here: connections are refused at once, as for a stopped service.
        try await withGateway(settings: ["AUTH_URL": "http://127.0.0.1:1"]) { edge in
            let login = try await edge.gateway.call(.post, "/auth/login", json: ["username": "someone", "password": "whatever pass"])
            #expect(login.status == .serviceUnavailable && login.errorCode == "service_unavailable")
            #expect(!String(decoding: login.body, as: UTF8.self).contains("127.0.0.1"), "no internals")
            let user = try await edge.user()
            #expect(try await edge.gateway.call(.get, "/auth/me", token: user.token).status == .serviceUnavailable)
            #expect(try await edge.gateway.call(.get, "/health/live").status == .ok)
            #expect(try await edge.gateway.call(.get, "/rooms", token: user.token).status == .ok, "the other services still answer")
        }
    }

    @Test func bodiesOverTheLimitAre413() async throws {
        try await withGateway(settings: ["MAX_BODY_BYTES": "1024"]) { edge in
            let reply = try await edge.gateway.call(.post, "/auth/register", json: ["username": "big_one", "password": String(repeating: "p", count: 2000)])
            #expect(reply.status == .contentTooLarge && reply.errorCode == "payload_too_large")
            #expect(edge.upstream.received.isEmpty)
        }
    }

    @Test func corsAllowsOnlyConfiguredOriginsAndSecurityHeadersAreAlwaysSet() async throws {
        try await withGateway { edge in
            let preflight = try await edge.gateway.call(.options, "/auth/login", headers: [
                .origin: "https://app.example", .accessControlRequestMethod: "POST",
            ])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)

            let foreign = try await edge.gateway.call(.get, "/auth/me", headers: [.origin: "https://evil.example"])
            #expect(foreign.headers[.accessControlAllowOrigin] == nil)
            #expect(foreign.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(foreign.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(foreign.headers[.contentSecurityPolicy] != nil)
        }
    }
}
