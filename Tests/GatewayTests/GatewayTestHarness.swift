import AuthService
import Foundation
import Gateway
import HummingbirdTesting
import ServiceKit
import TestSupport

/// What a gateway test gets: a client of the gateway, its port (for WebSockets), and a client
/// straight to auth.
struct Stack: Sendable {
    let gateway: any TestClientProtocol
    let gatewayPort: Int
    let auth: (any TestClientProtocol)?
}

/// Runs `body` with a live auth service and a live gateway in front of it. With `authRunning`
/// false the gateway points at a port where nothing listens.
func withStack<T: Sendable>(
    authRunning: Bool = true, gatewaySettings extra: [String: String] = [:],
    _ body: @escaping @Sendable (Stack) async throws -> T
) async throws -> T {
    let authOverrides = try await TestEnvironment.serviceOverrides()
    guard authRunning else {
        // Nothing listens on port 1 here: connections are refused at once, as for a stopped service.
        return try await runGateway(authURL: "http://127.0.0.1:1", base: authOverrides, extra: extra) { client, gatewayPort in
            try await body(Stack(gateway: client, gatewayPort: gatewayPort, auth: nil))
        }
    }
    let auth = try await AuthService.buildApplication(settings: AuthSettings(reader: TestEnvironment.reader(authOverrides)))
    return try await auth.test(.live) { authClient in
        let authPort = authClient.port!
        return try await runGateway(authURL: "http://127.0.0.1:\(authPort)", base: authOverrides, extra: extra) { client, gatewayPort in
            try await body(Stack(gateway: client, gatewayPort: gatewayPort, auth: authClient))
        }
    }
}

private func runGateway<T: Sendable>(
    authURL: String, base: [String: String], extra: [String: String],
    _ body: @escaping @Sendable (any TestClientProtocol, Int) async throws -> T
) async throws -> T {
    let overrides = base.merging(["AUTH_URL": authURL, "CORS_ORIGINS": "https://app.example"]) { $1 }.merging(extra) { $1 }
    let gateway = try await Gateway.buildApplication(settings: GatewaySettings(reader: TestEnvironment.reader(overrides)))
    return try await gateway.test(.live) { client in try await body(client, client.port!) }
}

extension TestClientProtocol {
    func register() async throws -> (token: String, username: String) {
        let username = "gw_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let reply = try await call(.post, "/auth/register", json: ["username": username, "password": "correct horse battery"])
        guard let token = reply["token"] as? String else {
            throw TestFailure("register through the gateway failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return (token, username)
    }
}
