import Foundation
import TestSupport

/// A plain TCP client for requests HTTP clients will not make (a body cut short). Its socket
/// calls block, so they run on a thread of their own: blocking one of the concurrency pool's
/// threads (two on this machine) could starve the very server the test waits for.
final class RawHTTPClient: Sendable {
    let fd: Int32

    init(port: Int) throws {
        guard let fd = Loopback.connected(port: port) else { throw TestFailure("cannot connect to \(port)") }
        self.fd = fd
        // A send the server stopped reading fails after this rather than blocking forever.
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    func send(_ data: Data) async throws {
        try await offThePool { try self.sendBlocking(data) }
    }

    /// The reply's status line and headers, waiting at most `timeout`.
    func readHead(timeout: Duration) async throws -> String {
        try await offThePool { try self.readHeadBlocking(timeout: timeout) }
    }

    private func sendBlocking(_ data: Data) throws {
        var offset = 0
        while offset < data.count {
            let sent = data.withUnsafeBytes { Foundation.send(fd, $0.baseAddress! + offset, data.count - offset, Int32(MSG_NOSIGNAL)) }
            guard sent > 0 else { throw TestFailure("send failed: errno \(errno)") }
            offset += sent
        }
    }

    private func readHeadBlocking(timeout: Duration) throws -> String {
        var limit = timeval(tv_sec: Int(timeout.components.seconds), tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &limit, socklen_t(MemoryLayout<timeval>.size))
        var received = Data()
        var buffer = [UInt8](repeating: 0, count: 4096)
        while !received.contains(Data("\r\n\r\n".utf8)) {
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { throw TestFailure("no reply (errno \(errno)); got \(String(decoding: received, as: UTF8.self))") }
            received.append(contentsOf: buffer[0..<count])
        }
        return String(decoding: received, as: UTF8.self)
    }

    func close() { Foundation.close(fd) }
}

/// Runs blocking work on a new thread, the caller waiting without holding a pool thread.
private func offThePool<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread { continuation.resume(with: Result { try work() }) }.start()
    }
}

/// A TCP server that accepts connections into its backlog and never answers: a hung clamd.
final class SilentServer {
    let fd: Int32
    let port: Int

    init() throws {
        port = try TestEnvironment.freePort()
        guard let fd = Loopback.bound(port: port), listen(fd, 16) == 0 else { throw TestFailure("cannot listen on \(port)") }
        self.fd = fd
    }

    func close() { Foundation.close(fd) }
}
