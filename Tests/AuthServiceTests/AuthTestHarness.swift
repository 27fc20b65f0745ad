import Foundation
import HummingbirdTesting
import ServiceKit
import TestSupport

@testable import AuthService

/// Runs `body` against a live auth service on its own fresh database.
func withAuthService<T: Sendable>(
    clock: TestClock = TestClock(), settings extra: [String: String] = [:],
    _ body: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    try await withServicesGate {
        let overrides = try await TestEnvironment.serviceOverrides(extra)
        let app = try await buildApplication(settings: AuthSettings(reader: TestEnvironment.reader(overrides)), clock: clock.wallClock)
        return try await app.test(.live) { client in try await body(client) }
    }
}

/// A fresh unique username (tests share one Redis, and login throttling is per username).
func uniqueUsername(_ prefix: String = "user") -> String {
    prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
}

extension TestClientProtocol {
    /// Registers a user and returns its token and id.
    func register(_ username: String = uniqueUsername(), password: String = "correct horse battery") async throws -> (token: String, id: String, username: String) {
        let reply = try await call(.post, "/auth/register", json: ["username": username, "password": password])
        guard reply.status == .created, let token = reply["token"] as? String,
            let user = reply["user"] as? [String: Any], let id = user["id"] as? String
        else { throw TestFailure("register failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))") }
        return (token, id, username)
    }
}
