import AuthService
import Foundation
import Gateway
import RoomsService
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

/// Runs `body` with live auth and rooms services and a live gateway in front of them; rooms
/// delivers its events to the gateway. With `servicesRunning` false the gateway points at a port
/// where nothing listens.
func withStack<T: Sendable>(
    servicesRunning: Bool = true, gatewaySettings extra: [String: String] = [:],
    _ body: @escaping @Sendable (Stack) async throws -> T
) async throws -> T {
    let overrides = try await TestEnvironment.serviceOverrides()
    guard servicesRunning else {
        // Nothing listens on port 1 here: connections are refused at once, as for a stopped service.
        let nowhere = "http://127.0.0.1:1"
        return try await runGateway(services: ["AUTH_URL": nowhere, "ROOMS_URL": nowhere], base: overrides, extra: extra) { client in
            try await body(Stack(gateway: client, gatewayPort: client.port!, auth: nil))
        }
    }
    let auth = try await AuthService.buildApplication(settings: AuthSettings(reader: TestEnvironment.reader(overrides)))
    return try await auth.test(.live) { authClient in
        let authURL = "http://127.0.0.1:\(authClient.port!)"
        // The gateway and rooms each need the other's address; rooms gets a port chosen up front.
        let roomsPort = try TestEnvironment.freePort()
        let services = ["AUTH_URL": authURL, "ROOMS_URL": "http://127.0.0.1:\(roomsPort)"]
        return try await runGateway(services: services, base: overrides, extra: extra) { client in
            let roomsOverrides = overrides.merging([
                "AUTH_URL": authURL, "HTTP_PORT": String(roomsPort), "EVENT_SUBSCRIBERS": "gateway=http://127.0.0.1:\(client.port!)",
            ]) { $1 }
            let rooms = try await RoomsService.buildApplication(settings: RoomsSettings(reader: TestEnvironment.reader(roomsOverrides)))
            return try await withService(rooms, port: roomsPort) {
                try await body(Stack(gateway: client, gatewayPort: client.port!, auth: authClient))
            }
        }
    }
}

private func runGateway<T: Sendable>(
    services: [String: String], base: [String: String], extra: [String: String],
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    let overrides = base.merging(services) { $1 }.merging(["CORS_ORIGINS": "https://app.example"]) { $1 }.merging(extra) { $1 }
    let gateway = try await Gateway.buildApplication(settings: GatewaySettings(reader: TestEnvironment.reader(overrides)))
    return try await gateway.test(.live) { client in try await body(client) }
}

extension TestClientProtocol {
    func register() async throws -> (token: String, id: String, username: String) {
        let username = "gw_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let reply = try await call(.post, "/auth/register", json: ["username": username, "password": "correct horse battery"])
        guard let token = reply["token"] as? String, let id = (reply["user"] as? [String: Any])?["id"] as? String else {
            throw TestFailure("register through the gateway failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return (token, id, username)
    }
}
