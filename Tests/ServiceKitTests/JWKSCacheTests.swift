import AsyncHTTPClient
import Crypto
import Foundation
import Hummingbird
import HummingbirdTesting
import JWTKit
import Logging
import NIOConcurrencyHelpers
import ServiceKit
import Testing
import TestSupport

@Suite struct JWKSCacheTests {
    /// A stand-in JWKS endpoint whose key set the test changes, counting fetches.
    final class KeyServer: Sendable {
        let keys = NIOLockedValueBox<[String: Curve25519.Signing.PrivateKey]>([:])
        let fetches = NIOLockedValueBox(0)

        func application() -> some ApplicationProtocol {
            let router = Router()
            router.get("/.well-known/jwks.json") { _, _ -> JWKSDocument in
                self.fetches.withLockedValue { $0 += 1 }
                return JWKSDocument(keys: self.keys.withLockedValue { $0 }.map { JWKSDocument.Key(kid: $0.key, publicKey: EdDSA.PublicKey(backing: $0.value.publicKey)) })
            }
            return Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)))
        }
    }

    @Test func aRotatedInKeyIsFetchedOnFirstSightAndForgedKidsDoNotStampede() async throws {
        let server = KeyServer()
        server.keys.withLockedValue { $0["old"] = Curve25519.Signing.PrivateKey() }
        let clock = TestClock()
        try await server.application().test(.live) { client in
            let port = try #require(client.port)
            let cache = JWKSCache(
                authURL: "http://127.0.0.1:\(port)", httpClient: HTTPClient.shared, clock: clock.wallClock,
                maxAge: 600, minimumRefetchInterval: 10, logger: Logger(label: "test"))
            #expect(try await cache.publicKey(kid: "old") != nil)
            #expect(try await cache.publicKey(kid: "old") != nil)
            #expect(server.fetches.withLockedValue { $0 } == 1, "cached")

            let rotated = Curve25519.Signing.PrivateKey()
            server.keys.withLockedValue { $0["new"] = rotated }
            clock.advance(by: 11)
            #expect(try await cache.publicKey(kid: "new")?.rawRepresentation == rotated.publicKey.rawRepresentation)
            #expect(server.fetches.withLockedValue { $0 } == 2)

            for _ in 0..<20 { #expect(try await cache.publicKey(kid: "forged") == nil) }
            #expect(server.fetches.withLockedValue { $0 } == 2, "unknown kids refetch at most every 10 s")
            clock.advance(by: 11)
            #expect(try await cache.publicKey(kid: "forged") == nil)
            #expect(server.fetches.withLockedValue { $0 } == 3)
        }
    }

    @Test func concurrentFirstLookupsShareOneFetchAndAllFindTheKey() async throws {
        let server = KeyServer()
        server.keys.withLockedValue { $0["only"] = Curve25519.Signing.PrivateKey() }
        try await server.application().test(.live) { client in
            let cache = JWKSCache(authURL: "http://127.0.0.1:\(client.port!)", httpClient: HTTPClient.shared, logger: Logger(label: "test"))
            let found = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<50 { group.addTask { try await cache.publicKey(kid: "only") != nil } }
                return try await group.reduce(into: 0) { $0 += $1 ? 1 : 0 }
            }
            #expect(found == 50)
            #expect(server.fetches.withLockedValue { $0 } == 1)
        }
    }

    @Test func authBeingDownIsAServiceUnavailableError() async throws {
        let cache = JWKSCache(authURL: "http://127.0.0.1:1", httpClient: HTTPClient.shared, logger: Logger(label: "test"))
        await #expect { _ = try await cache.publicKey(kid: "any") } throws: { ($0 as? AppError)?.status == .serviceUnavailable }
    }
}
