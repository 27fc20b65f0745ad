import AsyncHTTPClient
import Foundation
import HTTPTypes
import HummingbirdTesting
import Logging
import NIOCore
import PostgresNIO
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
        return try await runAuthService(overrides, clock: clock, body)
    }
}

/// Runs `body` against a live auth service with exactly these settings: a test that restarts auth
/// on the same database runs it more than once with one set of `overrides`.
func runAuthService<T: Sendable>(
    _ overrides: [String: String], clock: TestClock = TestClock(), _ body: @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    let app = try await buildApplication(settings: AuthSettings(reader: TestEnvironment.reader(overrides)), clock: clock.wallClock)
    return try await app.test(.live) { client in try await body(client) }
}

let testLogger = Logger(label: "auth-test")

/// Runs `body` with a pool on the auth schema of the database `overrides` name, as the cluster's
/// superuser: to read (or set up) what auth stores.
func withAuthDatabase<T: Sendable>(_ overrides: [String: String], _ body: @Sendable (PostgresClient) async throws -> T) async throws -> T {
    let settings = PostgresSettings(
        host: "127.0.0.1", port: Int(overrides["POSTGRES_PORT"]!)!, user: "parley", password: nil,
        database: overrides["POSTGRES_DATABASE"]!, schema: "auth", maxConnections: 2)
    let client = try PostgresClient(settings: settings, logger: testLogger)
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { await client.run() }
        defer { group.cancelAll() }
        return try await body(client)
    }
}

/// The test Redis, to see which keys auth wrote.
func testRedis() async throws -> RedisClient {
    RedisClient(settings: try await TestEnvironment.redisSettings())
}

/// A fresh unique username (tests share one Redis, and login throttling is per username).
func uniqueUsername(_ prefix: String = "user") -> String {
    prefix + "_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(10).lowercased()
}

/// A client address of this test's own (documentation range, IPv6), sent as `X-Forwarded-For`:
/// auth believes it from the loopback peer, as from the gateway. Tests share one Redis, and the
/// throttles count per address.
func uniqueAddress() -> String {
    // A /64 of its own: per-address limits count an IPv6 network's addresses as one.
    "2001:db8:" + (0..<3).map { _ in String(UInt16.random(in: 1...0xFFFE), radix: 16) }.joined(separator: ":") + "::1"
}

func from(_ address: String) -> HTTPFields {
    [.xForwardedFor: address]
}

/// A reply to one of `concurrently`'s requests.
struct RacedReply: Sendable {
    let status: Int
    let retryAfter: Int?
    let body: String
}

/// `count` POSTs to `path` sent at once (a connection each), as an attacker would; `body` gives
/// the JSON of the n-th. Returns the replies in no particular order.
func concurrently(
    port: Int, count: Int, path: String, token: String? = nil, address: String? = nil, body: @escaping @Sendable (Int) -> [String: String]
) async throws -> [RacedReply] {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool = .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: count)
    let client = HTTPClient(configuration: configuration)
    do {
        let replies = try await withThrowingTaskGroup(of: RacedReply.self) { group in
            for index in 0..<count {
                group.addTask {
                    var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
                    request.method = .POST
                    request.headers.add(name: "Content-Type", value: "application/json")
                    if let address { request.headers.add(name: "X-Forwarded-For", value: address) }
                    if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
                    request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body(index))))
                    let response = try await client.execute(request, timeout: .seconds(30))
                    let text = String(buffer: try await response.body.collect(upTo: 1 << 16))
                    return RacedReply(status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After").flatMap(Int.init), body: text)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        try await client.shutdown()
        return replies
    } catch {
        try? await client.shutdown()
        throw error
    }
}

extension TestClientProtocol {
    /// Registers a user and returns its token and id.
    func register(
        _ username: String = uniqueUsername(), password: String = "correct horse battery", headers: HTTPFields = [:]
    ) async throws -> (token: String, id: String, username: String) {
        let reply = try await call(.post, "/auth/register", json: ["username": username, "password": password], headers: headers)
        guard reply.status == .created, let token = reply["token"] as? String,
            let user = reply["user"] as? [String: Any], let id = user["id"] as? String
        else { throw TestFailure("register failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))") }
        return (token, id, username)
    }

    /// Signs in again as `username` (another session) and returns the token.
    func login(_ username: String, password: String = "correct horse battery", headers: HTTPFields = [:]) async throws -> String {
        let reply = try await call(.post, "/auth/login", json: ["username": username, "password": password], headers: headers)
        guard reply.status == .ok, let token = reply["token"] as? String else {
            throw TestFailure("login failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return token
    }
}
