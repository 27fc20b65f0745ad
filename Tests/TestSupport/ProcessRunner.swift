import Foundation
import Synchronization

/// Runs helper programs for the test servers.
enum ProcessRunner {
    /// Runs a program to completion; throws with its output when it fails.
    @discardableResult
    static func run(_ arguments: [String], asPostgresUser: Bool = false) throws -> String {
        var arguments = arguments
        // PostgreSQL refuses to run as root; tests running as root run it as the `postgres` user.
        if asPostgresUser, getuid() == 0 { arguments = ["runuser", "-u", "postgres", "--"] + arguments }
        // Output goes to a file, not a pipe: a daemon it starts (pg_ctl's postgres) inherits the
        // descriptor and would keep a pipe open forever.
        let outputPath = FileManager.default.temporaryDirectory.appendingPathComponent("parley-run-\(UUID().uuidString).log").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        let pid = try spawn(arguments, outputPath: outputPath, newSession: false)
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let text = (try? String(contentsOfFile: outputPath, encoding: .utf8)) ?? ""
        // WIFEXITED && WEXITSTATUS == 0
        guard status & 0x7f == 0, (status >> 8) & 0xff == 0 else {
            throw TestFailure("\(arguments.joined(separator: " ")) failed (status \(status)): \(text)")
        }
        return text
    }

    /// Starts a shell in a session of its own (so a signal to the test's process group does not
    /// reach it) that waits for this test process to end, then runs `cleanup`: test servers never
    /// outlive the run, even when it crashes or is killed.
    static func cleanUpWhenTestsEnd(_ cleanup: String) throws {
        // An exited process that nobody reaped yet (a zombie) still answers `kill -0`.
        let pid = getpid()
        let alive = "kill -0 \(pid) 2>/dev/null && [ \"$(cut -d' ' -f3 /proc/\(pid)/stat)\" != Z ]"
        _ = try spawn(["/bin/sh", "-c", "while \(alive); do sleep 1; done; \(cleanup)"], outputPath: "/dev/null", newSession: true)
    }

    /// posix_spawn with stdout and stderr to `outputPath`; Foundation's Process can miss the exit
    /// of a child when the test runner is busy, leaving the caller waiting forever.
    private static func spawn(_ arguments: [String], outputPath: String, newSession: Bool) throws -> pid_t {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        // Nothing else of the test process goes with the child: the test process's sockets are
        // not close-on-exec, and a connection whose descriptor a daemon (or a cleanup shell)
        // also holds never ends when the test closes it, so a server waiting for it never stops.
        guard addCloseFrom(&actions, 3) == 0 else { throw TestFailure("posix_spawn_file_actions_addclosefrom_np failed") }
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The child starts with no blocked signals and default handlers: the test runner's
        // threads block signals, and a server inheriting that mask would ignore SIGTERM.
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var allSignals = sigset_t()
        sigfillset(&allSignals)
        posix_spawnattr_setsigdefault(&attributes, &allSignals)
        var flags = Int32(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        // POSIX_SPAWN_SETSID (glibc 2.26+) is not exported to Swift.
        if newSession { flags |= 0x80 }
        posix_spawnattr_setflags(&attributes, Int16(flags))
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var pid: pid_t = 0
        let result = posix_spawnp(&pid, arguments[0], &actions, &attributes, argv, environ)
        guard result == 0 else { throw TestFailure("cannot start \(arguments[0]): error \(result)") }
        return pid
    }

    /// glibc's `posix_spawn_file_actions_addclosefrom_np` (2.34 and later), which the Glibc module
    /// does not export.
    private static let addCloseFrom: @convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32 = {
        // RTLD_DEFAULT is a null handle in glibc.
        guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else {
            fatalError("the C library has no posix_spawn_file_actions_addclosefrom_np (glibc 2.34 or later has)")
        }
        return unsafeBitCast(symbol, to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self)
    }()

    /// A TCP port nothing listens on right now.
    /// The next port to try: below the kernel's ephemeral range (32768 and up here), so that no
    /// socket bound to port 0 meanwhile (every `.live` test app) can take a port handed out
    /// before its service binds it; each is handed out once per process.
    private static let nextPort = Mutex(20_000 + Int.random(in: 0..<8_000))

    static func freePort() throws -> Int {
        for _ in 0..<1000 {
            let port = nextPort.withLock { port in
                defer { port = port >= 31_999 ? 20_000 : port + 1 }
                return port
            }
            if canBind(port) { return port }
        }
        throw TestFailure("no free port")
    }

    private static func canBind(_ port: Int) -> Bool {
        guard let socket = Loopback.bound(port: port) else { return false }
        close(socket)
        return true
    }

    static func findExecutable(_ name: String, in directories: [String]) throws -> String {
        for directory in directories {
            let path = directory + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw TestFailure("\(name) not found; install postgresql and redis-server (see README)")
    }
}

/// A test precondition that did not hold, with what was seen.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
