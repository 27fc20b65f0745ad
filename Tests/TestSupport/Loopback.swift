import Foundation

/// Blocking TCP sockets on 127.0.0.1 for the test helpers: free ports, probing helper servers,
/// raw clients and fake peers.
public enum Loopback {
    /// A TCP socket bound to 127.0.0.1:`port` (the caller listens on it, or closes it); nil when
    /// the port is taken.
    public static func bound(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        guard withAddress(port: port, { bind(fd, $0, $1) }) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// A TCP socket connected to 127.0.0.1:`port`; nil when nothing listens there.
    public static func connected(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return nil }
        guard withAddress(port: port, { connect(fd, $0, $1) }) == 0 else {
            close(fd)
            return nil
        }
        return fd
    }

    /// Sends `bytes` on a new connection and returns the first reply bytes (up to 256).
    public static func exchange(port: Int, send bytes: [UInt8]) throws -> [UInt8] {
        guard let fd = connected(port: port) else { throw TestFailure("cannot connect to \(port)") }
        defer { close(fd) }
        _ = bytes.withUnsafeBytes { Foundation.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
        var reply = [UInt8](repeating: 0, count: 256)
        let count = reply.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        return count > 0 ? Array(reply[0..<count]) : []
    }

    private static func withAddress(port: Int, _ body: (UnsafePointer<sockaddr>, socklen_t) -> Int32) -> Int32 {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body($0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }
}

/// What a shared test server keeps: its start, run once per test process by whoever asks first;
/// later callers (also those arriving during the start) wait for the same one.
public actor StartedOnce<Value: Sendable> {
    private var starting: Task<Value, any Error>?

    public init() {}

    public func value(_ start: @escaping @Sendable () async throws -> Value) async throws -> Value {
        if let starting { return try await starting.value }
        let task = Task { try await start() }
        starting = task
        return try await task.value
    }
}
