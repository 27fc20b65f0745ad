import AsyncHTTPClient
import Foundation
import JWTKit
import Logging
import NIOCore

/// Auth's public keys, fetched from its JWKS endpoint and cached. An unknown `kid` (a rotated-in
/// key) triggers a refetch, at most once per `minimumRefetchInterval` so that forged kids cannot
/// turn every request into a call to auth.
public actor JWKSCache: PublicKeyProvider {
    private let url: String
    private let httpClient: HTTPClient
    private let clock: WallClock
    private let maxAge: TimeInterval
    private let minimumRefetchInterval: TimeInterval
    private let logger: Logger
    private var keys: [String: EdDSA.PublicKey] = [:]
    private var fetchedAt: Date?
    private var inFlight: Task<[String: EdDSA.PublicKey], any Error>?

    public init(
        authURL: String, httpClient: HTTPClient, clock: WallClock = .system,
        maxAge: TimeInterval = 600, minimumRefetchInterval: TimeInterval = 10, logger: Logger
    ) {
        self.url = authURL + "/.well-known/jwks.json"
        self.httpClient = httpClient
        self.clock = clock
        self.maxAge = maxAge
        self.minimumRefetchInterval = minimumRefetchInterval
        self.logger = logger
    }

    public func publicKey(kid: String) async throws -> EdDSA.PublicKey? {
        let age = fetchedAt.map { clock.now().timeIntervalSince($0) }
        let stale = age.map { $0 > maxAge } ?? true
        let mayRefetch = age.map { $0 > minimumRefetchInterval } ?? true
        if let key = keys[kid], !stale { return key }
        if stale || mayRefetch {
            try await refresh()
        }
        return keys[kid]
    }

    /// One fetch at a time: concurrent callers share it, and each applies its result before
    /// reading the keys (whichever of them resumes first).
    private func refresh() async throws {
        let task: Task<[String: EdDSA.PublicKey], any Error>
        if let inFlight {
            task = inFlight
        } else {
            task = Task { [url, httpClient] in try await Self.fetch(url: url, httpClient: httpClient) }
            inFlight = task
        }
        defer { if inFlight == task { inFlight = nil } }
        do {
            keys = try await task.value
            fetchedAt = clock.now()
        } catch {
            logger.warning("JWKS fetch failed", metadata: ["error": "\(error)"])
            // Keys already known stay usable while auth is briefly away.
            if keys.isEmpty { throw AppError.serviceUnavailable("auth", internalDetail: "JWKS fetch failed: \(error)") }
        }
    }

    private static func fetch(url: String, httpClient: HTTPClient) async throws -> [String: EdDSA.PublicKey] {
        let response = try await httpClient.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        guard response.status == .ok else {
            throw AppError.serviceUnavailable("auth", internalDetail: "JWKS status \(response.status.code)")
        }
        let body = try await response.body.collect(upTo: 1 << 20)
        let document = try JSONDecoder().decode(JWKSDocument.self, from: Data(buffer: body))
        var keys: [String: EdDSA.PublicKey] = [:]
        for key in document.keys where key.kty == "OKP" && key.crv == "Ed25519" && key.alg == "EdDSA" {
            keys[key.kid] = try EdDSA.PublicKey(x: key.x, curve: .ed25519)
        }
        return keys
    }
}
