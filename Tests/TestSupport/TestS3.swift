import Foundation

/// A private S3-compatible server for this test process: `moto_server` (PyPI `moto[server]`),
/// started on first use on a free port. It speaks S3's wire protocol; it does not check
/// signatures (the SigV4 vectors cover those).
public struct TestS3: Sendable {
    public static let shared = TestS3()

    private let server = StartedOnce<Int>()

    /// The server's port (endpoint `http://127.0.0.1:<port>`).
    public func start() async throws -> Int {
        try await server.value(Self.launch)
    }

    private static func launch() async throws -> Int {
        let paths = (ProcessInfo.processInfo.environment["PATH"] ?? "").split(separator: ":").map(String.init)
        let server = try ProcessRunner.findExecutable("moto_server", in: paths + ["/usr/local/bin", "/root/.pyenv/shims"])
        let port = try ProcessRunner.freePort()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-s3-\(port)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        try ProcessRunner.run([
            "/bin/sh", "-c", "\(server) -H 127.0.0.1 -p \(port) > \(directory)/moto.log 2>&1 & echo $! > \(directory)/moto.pid",
        ])
        try ProcessRunner.cleanUpWhenTestsEnd("kill $(cat \(directory)/moto.pid) 2>/dev/null; sleep 1; rm -rf \(directory)")
        for _ in 0..<200 {
            if let reply = try? Loopback.exchange(port: port, send: Array("GET / HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n".utf8)), !reply.isEmpty {
                return port
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("moto_server did not start on port \(port): see \(directory)/moto.log")
    }
}
