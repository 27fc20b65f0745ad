import Foundation
import HTTPTypes
import StackSupport
import Testing
import TestSupport

@Suite struct ProxyTests {
    @Test func authEndpointsWorkThroughTheGateway() async throws {
        try await withStack { stack in
            let user = try await stack.gateway.register()
            let login = try await stack.gateway.call(.post, "/auth/login", json: ["username": user.username, "password": "correct horse battery"])
            #expect(login.status == .ok)
            let me = try await stack.gateway.call(.get, "/auth/me", token: user.token)
            #expect(me.status == .ok)
            #expect(me["username"] as? String == user.username)
            #expect(me.headers[.contentType]?.hasPrefix("application/json") == true)
            let search = try await stack.gateway.call(.get, "/users/search?q=gw_&limit=1", token: user.token)
            #expect(search.status == .ok)
            #expect((search["users"] as? [Any])?.count == 1, "query strings pass through")
        }
    }

    @Test func errorsFromTheServicePassThroughUnchanged() async throws {
        try await withStack { stack in
            let reply = try await stack.gateway.call(.post, "/auth/register", json: ["username": "x", "password": "long enough"])
            #expect(reply.status == .badRequest)
            #expect(reply.errorField == "username")
        }
    }

    @Test func theRequestIDTravelsToTheServiceAndBack() async throws {
        try await withStack { stack in
            let id = HTTPField.Name("X-Request-Id")!
            let reply = try await stack.gateway.call(.get, "/health/live", headers: [id: "trace-me-1"])
            #expect(reply.headers[id] == "trace-me-1")
            let proxied = try await stack.gateway.call(.post, "/auth/login", json: ["username": "nobody_here", "password": "whatever pass"], headers: [id: "trace-me-2"])
            #expect(proxied.headers[id] == "trace-me-2")
        }
    }

    @Test(arguments: ["/internal/users", "/INTERNAL/users", "/%69nternal/users", "/internal"])
    func internalPathsAreNeverRouted(path: String) async throws {
        try await withStack { stack in
            let user = try await stack.gateway.register()
            let reply = try await stack.gateway.call(.get, path, token: user.token)
            #expect(reply.status == .notFound)
            #expect(reply.errorCode == "not_found")
        }
    }

    @Test func dotSegmentsAndUnknownPathsAreRefused() async throws {
        try await withStack { stack in
            let user = try await stack.gateway.register()
            #expect(try await stack.gateway.call(.get, "/auth/../internal/x", token: user.token).status == .badRequest)
            #expect(try await stack.gateway.call(.get, "/auth/%2e%2e/internal/x", token: user.token).status == .badRequest)
            #expect(try await stack.gateway.call(.get, "/nowhere", token: user.token).status == .notFound)
        }
    }

    @Test func theEdgeRejectsMissingAndInvalidTokens() async throws {
        try await withStack { stack in
            let missing = try await stack.gateway.call(.get, "/auth/me")
            #expect(missing.status == .unauthorized)
            #expect(missing.errorCode == "unauthorized")
            #expect(try await stack.gateway.call(.get, "/users/search?q=a", token: "a.b.c").status == .unauthorized)
        }
    }

    @Test func aLoggedOutTokenStopsAtTheGateway() async throws {
        try await withStack { stack in
            let user = try await stack.gateway.register()
            #expect(try await stack.gateway.call(.post, "/auth/logout", token: user.token).status == .noContent)
            #expect(try await stack.gateway.call(.get, "/auth/me", token: user.token).status == .unauthorized)
        }
    }

    @Test func aStoppedServiceIs503() async throws {
        try await withStack(servicesRunning: false) { stack in
            let login = try await stack.gateway.call(.post, "/auth/login", json: ["username": "someone", "password": "whatever pass"])
            #expect(login.status == .serviceUnavailable)
            #expect(login.errorCode == "service_unavailable")
            #expect(!String(decoding: login.body, as: UTF8.self).contains("127.0.0.1"), "no internals")
            let me = try await stack.gateway.call(.get, "/auth/me", token: "eyJhbGciOiJFZERTQSIsImtpZCI6ImsifQ.e30.c2ln")
            #expect(me.status == .serviceUnavailable)
            #expect(try await stack.gateway.call(.get, "/health/live").status == .ok)
        }
    }

    @Test func bodiesOverTheLimitAre413() async throws {
        try await withStack(gatewaySettings: ["MAX_BODY_BYTES": "1024"]) { stack in
            let reply = try await stack.gateway.call(.post, "/auth/register", json: ["username": "big_one", "password": String(repeating: "p", count: 2000)])
            #expect(reply.status == .contentTooLarge)
            #expect(reply.errorCode == "payload_too_large")
        }
    }

    @Test func corsAllowsOnlyConfiguredOriginsAndSecurityHeadersAreAlwaysSet() async throws {
        try await withStack { stack in
            let preflight = try await stack.gateway.call(.options, "/auth/login", headers: [
                .origin: "https://app.example", .accessControlRequestMethod: "POST",
            ])
            #expect(preflight.status == .noContent)
            #expect(preflight.headers[.accessControlAllowOrigin] == "https://app.example")
            #expect(preflight.headers[.accessControlAllowMethods]?.contains("POST") == true)

            let foreign = try await stack.gateway.call(.get, "/auth/me", headers: [.origin: "https://evil.example"])
            #expect(foreign.headers[.accessControlAllowOrigin] == nil)
            #expect(foreign.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
            #expect(foreign.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            #expect(foreign.headers[.contentSecurityPolicy] != nil)
        }
    }
}
