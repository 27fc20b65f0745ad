import Foundation

/// A private clamd for this test process, started on first use on a free port with the project's
/// own signature database (`compose/clamav`: the EICAR test file, no downloads). `launch()` starts
/// another one a test may stop.
public struct TestClamd: Sendable {
    public static let shared = TestClamd()

    private let server = StartedOnce<TestClamdProcess>()

    /// The shared clamd's port.
    public func start() async throws -> Int {
        try await server.value(Self.launch).port
    }

    /// A clamd of the caller's own.
    public static func launch() async throws -> TestClamdProcess {
        // clamd binds its port only once its database is loaded: another process may take the
        // free port meanwhile, and that lost race is retried on a new one.
        for _ in 0..<3 {
            if let process = try await launch(port: try ProcessRunner.freePort()) { return process }
        }
        throw TestFailure("clamd found its port taken three times")
    }

    /// nil when another process bound the port first.
    private static func launch(port: Int) async throws -> TestClamdProcess? {
        let clamd = try ProcessRunner.findExecutable("clamd", in: ["/usr/sbin", "/usr/bin", "/usr/local/sbin"])
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-clamd-\(port)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let signatures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../compose/clamav").standardized.path
        let config = """
            DatabaseDirectory \(signatures)
            TCPSocket \(port)
            TCPAddr 127.0.0.1
            PidFile \(directory)/clamd.pid
            LogFile \(directory)/clamd.log
            TemporaryDirectory \(directory)
            StreamMaxLength 12M
            MaxFileSize 12M
            MaxScanSize 48M
            AlertExceedsMax yes
            SelfCheck 0

            """
        try config.write(toFile: directory + "/clamd.conf", atomically: true, encoding: .utf8)
        // clamd daemonizes once its database is loaded and its socket listens.
        try ProcessRunner.run([clamd, "--config-file=\(directory)/clamd.conf"])
        try ProcessRunner.cleanUpWhenTestsEnd("kill $(cat \(directory)/clamd.pid) 2>/dev/null; sleep 1; rm -rf \(directory)")
        let process = TestClamdProcess(port: port, pidFile: directory + "/clamd.pid")
        // Loading even this small database takes a while on a busy machine.
        for _ in 0..<300 {
            if await process.answersPing() { return process }
            if (try? String(contentsOfFile: directory + "/clamd.log", encoding: .utf8))?.contains("Cannot bind") == true { return nil }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw TestFailure("clamd did not answer on port \(port): see \(directory)/clamd.log")
    }
}

/// One clamd process: its port, and a way to stop it (for the fail-closed tests).
public struct TestClamdProcess: Sendable {
    public let port: Int
    let pidFile: String

    public func stop() async throws {
        let pid = try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        try ProcessRunner.run(["kill", pid])
        for _ in 0..<100 where await answersPing() {
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Whether clamd answers `PING` with `PONG`.
    func answersPing() async -> Bool {
        (try? Loopback.exchange(port: port, send: Array("zPING\0".utf8)))?.starts(with: Array("PONG".utf8)) ?? false
    }
}
