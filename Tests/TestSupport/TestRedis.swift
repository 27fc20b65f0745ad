import Foundation
import ServiceKit

/// A private redis-server for this test process, started on first use on a free port, with no
/// persistence. Tests keep apart by using keys of their own (random ids and names).
public struct TestRedis: Sendable {
    public static let shared = TestRedis()

    private let server = StartedOnce<Int>()

    /// Its port.
    public func start() async throws -> Int {
        try await server.value(Self.launch)
    }

    /// A redis-server of the caller's own (not the shared one), for a test that must change how
    /// Redis behaves, such as filling it up; `arguments` override the defaults.
    public static func startPrivate(_ arguments: [String]) async throws -> Int {
        try await launch(arguments)
    }

    private static func launch() async throws -> Int {
        try await launch([])
    }

    private static func launch(_ extraArguments: [String]) async throws -> Int {
        let server = try ProcessRunner.findExecutable("redis-server", in: ["/usr/bin", "/usr/local/bin", "/usr/sbin"])
        let port = try ProcessRunner.freePort()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-redis-\(port)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try ProcessRunner.run([
            server, "--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
            "--maxmemory", "512mb", "--maxmemory-policy", "noeviction", "--daemonize", "yes", "--pidfile", directory + "/redis.pid", "--dir", directory, "--logfile", directory + "/redis.log",
        ] + extraArguments)
        try ProcessRunner.cleanUpWhenTestsEnd("kill $(cat \(directory)/redis.pid); sleep 1; rm -rf \(directory)")
        let client = RedisClient(settings: RedisSettings(host: "127.0.0.1", port: port, password: nil), connections: 1)
        for _ in 0..<100 {
            if await client.ping() { break }
            try await Task.sleep(for: .milliseconds(50))
        }
        return port
    }
}
