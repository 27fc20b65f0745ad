#if canImport(Glibc)
import Glibc
#else
import Darwin
#endif
import Foundation

/// A WebSocket client that connects and then never reads, with a tiny receive buffer: the server
/// soon has frames it cannot deliver. `drain` reads afterwards what did arrive, up to the close.
public final class StalledSocket: @unchecked Sendable {
    private let descriptor: Int32

    public init(port: Int, token: String) throws {
        descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw TestFailure("socket() failed") }
        var size: Int32 = 4096
        setsockopt(descriptor, SOL_SOCKET, SO_RCVBUF, &size, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(descriptor, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw TestFailure("connect() failed") }
        let bytes = Array(Self.handshake(token: token).utf8)
        guard write(descriptor, bytes, bytes.count) == bytes.count else { throw TestFailure("handshake write failed") }
    }

    /// Everything received until the server closed the connection; nil if it did not within
    /// `seconds`.
    public func drainUntilClosed(seconds: Int) -> [UInt8]? {
        var timeout = timeval(tv_sec: seconds, tv_usec: 0)
        setsockopt(descriptor, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var received: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let count = read(descriptor, &chunk, chunk.count)
            if count == 0 { return received }
            if count < 0 { return nil }
            received += chunk[0..<count]
        }
    }

    deinit { close(descriptor) }

    /// The upgrade request of a hand-made WebSocket client (RFC 6455's sample key).
    public static func handshake(token: String) -> String {
        "GET /ws?token=\(token) HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n"
    }
}
