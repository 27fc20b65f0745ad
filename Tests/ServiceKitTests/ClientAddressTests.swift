import ServiceKit
import Testing

/// Who sent a request: the socket's peer, and what trusted proxies say about the client behind them.
@Suite struct ClientAddressTests {
    let loopback = TrustedProxies(["127.0.0.1", "::1"])

    @Test func anUntrustedPeerIsTheClientWhateverItForwards() {
        #expect(loopback.clientAddress(peer: "203.0.113.9", forwardedFor: ["198.51.100.1"]) == "203.0.113.9")
        #expect(TrustedProxies([]).clientAddress(peer: "127.0.0.1", forwardedFor: ["198.51.100.1"]) == "127.0.0.1")
    }

    @Test func aTrustedPeerNamesTheClientAsTheRightmostUntrustedHop() {
        #expect(loopback.clientAddress(peer: "127.0.0.1", forwardedFor: ["198.51.100.1"]) == "198.51.100.1")
        // What a client writes at the left is its own say-so: only the hop the proxy saw counts.
        #expect(loopback.clientAddress(peer: "127.0.0.1", forwardedFor: ["10.9.9.9, 198.51.100.1"]) == "198.51.100.1")
        #expect(loopback.clientAddress(peer: "::1", forwardedFor: ["10.9.9.9", "198.51.100.1, 127.0.0.1"]) == "198.51.100.1")
    }

    @Test func aTrustedPeerWithoutForwardingIsItselfTheClient() {
        #expect(loopback.clientAddress(peer: "127.0.0.1", forwardedFor: []) == "127.0.0.1")
        // Garbage where an address belongs ends the walk at the last real hop.
        #expect(loopback.clientAddress(peer: "127.0.0.1", forwardedFor: ["not-an-address"]) == "127.0.0.1")
    }

    @Test func rangesAndMappedAddressesAreUnderstood() {
        let proxies = TrustedProxies(["10.0.0.0/8", "fd00::/8"])
        #expect(proxies.contains("10.200.3.4"))
        #expect(!proxies.contains("11.0.0.1"))
        #expect(proxies.contains("fd12:3456::1"))
        #expect(!proxies.contains("fe80::1"))
        #expect(loopback.contains("::ffff:127.0.0.1"))
        #expect(proxies.clientAddress(peer: "10.1.1.1", forwardedFor: ["2001:db8::7"]) == "2001:db8::7")
    }

    @Test func limitsCountAnIPv6NetworkAsOneAddress() {
        #expect(TrustedProxies.limitKey("2001:db8:1:2:aaaa::1") == "2001:db8:1:2::/64")
        #expect(TrustedProxies.limitKey("2001:0db8:0001:0002:ffff:ffff:ffff:ffff") == "2001:db8:1:2::/64")
        #expect(TrustedProxies.limitKey("2001:db8:1:3::1") == "2001:db8:1:3::/64")
        #expect(TrustedProxies.limitKey("203.0.113.9") == "203.0.113.9")
        #expect(TrustedProxies.limitKey("::ffff:203.0.113.9") == "203.0.113.9")
    }

    @Test func aTypoInTrustedProxiesStopsStartup() throws {
        let config = ServiceConfig(
            serviceName: "demo", defaultPort: 0,
            reader: ServiceConfig.reader(overrides: ["TRUSTED_PROXIES": "10.0.0.0/8,10.0.0.300", "SERVICE_TOKEN": "secret"]))
        #expect(throws: StartupError.self) { try config.checkForStartup() }
    }
}

/// A production start without the secrets every service needs is refused; development mode runs.
@Suite struct StartupCheckTests {
    @Test func withoutAServiceTokenOnlyDevelopmentModeStarts() throws {
        let production = ServiceConfig(serviceName: "demo", defaultPort: 0, reader: ServiceConfig.reader(overrides: ["SERVICE_TOKEN": ""]))
        // An empty variable is no token either.
        #expect(throws: StartupError.self) { try production.checkForStartup() }
        let development = ServiceConfig(
            serviceName: "demo", defaultPort: 0, reader: ServiceConfig.reader(overrides: ["SERVICE_TOKEN": "", "DEVELOPMENT_MODE": "true"]))
        try development.checkForStartup()
        let configured = ServiceConfig(serviceName: "demo", defaultPort: 0, reader: ServiceConfig.reader(overrides: ["SERVICE_TOKEN": "s3cret"]))
        try configured.checkForStartup()
        #expect(configured.serviceToken == "s3cret")
    }

    @Test func aRedisClusterNodeThatIsNotHostAndPortStopsStartup() throws {
        func config(_ nodes: String) -> ServiceConfig {
            ServiceConfig(serviceName: "demo", defaultPort: 0, reader: ServiceConfig.reader(overrides: ["SERVICE_TOKEN": "s", "REDIS_CLUSTER_NODES": nodes]))
        }
        #expect(throws: StartupError.self) { try config("10.0.0.1:7000,10.0.0.2").checkForStartup() }
        try config("10.0.0.1:7000,redis-2.internal:7001").checkForStartup()
    }
}
