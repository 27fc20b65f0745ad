import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// The proxies whose `X-Forwarded-For` is believed: exact addresses or CIDR ranges, IPv4 or IPv6.
public struct TrustedProxies: Sendable {
    let entries: [String]
    private let ranges: [AddressRange]

    public init(_ entries: [String]) {
        self.entries = entries.map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        self.ranges = self.entries.compactMap(AddressRange.init)
    }

    /// Throws when an entry is neither an address nor a CIDR range: a typo must not silently trust nobody.
    func checked() throws -> Self {
        for entry in entries where AddressRange(entry) == nil {
            throw StartupError("TRUSTED_PROXIES: \"\(entry)\" is neither an IP address nor a CIDR range")
        }
        return self
    }

    /// `address` as per-address limits count it: IPv4 as it is, IPv6 by its /64, canonical
    /// either way (an IPv4-mapped IPv6 address is its IPv4 address).
    public static func limitKey(_ address: String) -> String {
        guard let bytes = AddressRange.bytes(of: address) else { return address }
        if bytes.count == 4 { return bytes.map(String.init).joined(separator: ".") }
        let groups = stride(from: 0, to: 8, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }
        return groups.joined(separator: ":") + "::/64"
    }

    public func contains(_ address: String) -> Bool {
        guard let bytes = AddressRange.bytes(of: address) else { return false }
        return ranges.contains { $0.contains(bytes) }
    }

    /// The client of a request that came from `peer` with `forwardedFor` (the `X-Forwarded-For`
    /// values, in order): `peer` itself unless it is trusted; otherwise the rightmost forwarded
    /// address that is not a trusted proxy (what a client writes at the left is never believed).
    public func clientAddress(peer: String?, forwardedFor: [String]) -> String? {
        guard let peer else { return nil }
        guard contains(peer) else { return peer }
        let hops = forwardedFor.flatMap { $0.split(separator: ",") }.map { $0.trimmingCharacters(in: .whitespaces) }
        var client = peer
        for hop in hops.reversed() {
            guard AddressRange.bytes(of: hop) != nil else { break }
            client = hop
            if !contains(hop) { break }
        }
        return client
    }
}

/// An address range: `a.b.c.d/n`, `x::y/n`, or one address.
private struct AddressRange: Sendable {
    let network: [UInt8]
    let prefixLength: Int

    init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
        guard let network = Self.bytes(of: parts[0]) else { return nil }
        let bits = network.count * 8
        if parts.count == 2 {
            guard let length = Int(parts[1]), (0...bits).contains(length) else { return nil }
            prefixLength = length
        } else {
            prefixLength = bits
        }
        self.network = network
    }

    func contains(_ address: [UInt8]) -> Bool {
        guard address.count == network.count else { return false }
        var remaining = prefixLength
        for (a, b) in zip(address, network) where remaining > 0 {
            let mask: UInt8 = remaining >= 8 ? 0xFF : ~(0xFF >> UInt8(remaining))
            guard a & mask == b & mask else { return false }
            remaining -= 8
        }
        return true
    }

    /// The address's bytes (4 for IPv4, 16 for IPv6); nil when it is not an IP address.
    static func bytes(of text: String) -> [UInt8]? {
        var host = text
        // An IPv4 address in IPv6 form is the IPv4 address (dual-stack sockets report those).
        if host.lowercased().hasPrefix("::ffff:"), host.contains(".") { host = String(host.dropFirst(7)) }
        guard let address = try? SocketAddress(ipAddress: host, port: 0) else { return nil }
        switch address {
        case .v4(let v4):
            return withUnsafeBytes(of: v4.address.sin_addr) { Array($0) }
        case .v6(let v6):
            return withUnsafeBytes(of: v6.address.sin6_addr) { Array($0) }
        default:
            return nil
        }
    }
}

/// A request context that knows who sent the request: the connection's peer, and the client
/// behind trusted proxies.
public protocol ClientAddressRequestContext: RequestContext {
    /// The address of the connection's other end.
    var peerAddress: String? { get }
    /// Set by `ClientAddressMiddleware`: the client as trusted proxies report it, else the peer.
    var clientAddress: String? { get set }
}

extension ClientAddressRequestContext {
    /// What per-address limits count under: the client's address, an IPv6 one by its /64 (the
    /// least a network hands one customer, so its addresses count as one), or one shared key for
    /// the rare request without an address (a test channel): limited together rather than not at all.
    public var clientKey: String { clientAddress.map(TrustedProxies.limitKey) ?? "unknown" }
}

/// Resolves `clientAddress` from the peer and `X-Forwarded-For` (believed only from trusted proxies).
public struct ClientAddressMiddleware<Context: ClientAddressRequestContext>: RouterMiddleware {
    let trusted: TrustedProxies

    public init(trusted: TrustedProxies) {
        self.trusted = trusted
    }

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        var context = context
        context.clientAddress = trusted.clientAddress(peer: context.peerAddress, forwardedFor: request.headers[values: .xForwardedFor])
        return try await next(request, context)
    }
}

extension HTTPField.Name {
    public static let xForwardedFor = Self("X-Forwarded-For")!
}
