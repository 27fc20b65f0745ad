import Crypto
import Foundation
import JWTKit
import Logging
import ServiceKit

/// Auth's signing keys: the newest signs, all unretired ones verify and are published in the
/// JWKS. A key older than `rotationInterval` is replaced at startup; a replaced key is retired
/// once every token it signed has expired.
actor KeyRing: PublicKeyProvider {
    private let store: SigningKeyStore
    private let clock: WallClock
    private let rotationInterval: TimeInterval
    private let tokenLifetime: TimeInterval
    private var keys: [StoredSigningKey] = []
    private var signers = JWTKeyCollection()

    init(store: SigningKeyStore, clock: WallClock, rotationInterval: TimeInterval, tokenLifetime: TimeInterval) {
        self.store = store
        self.clock = clock
        self.rotationInterval = rotationInterval
        self.tokenLifetime = tokenLifetime
    }

    /// Loads the keys, creating the first one or a successor when the newest is due.
    func prepare() async throws {
        let now = clock.now()
        try await reload()
        if let newest = keys.first, now.timeIntervalSince(newest.createdAt) < rotationInterval { return }
        let privateKey = Curve25519.Signing.PrivateKey()
        try await store.insert(StoredSigningKey(
            kid: UUID().uuidString.lowercased(), privateKey: privateKey.rawRepresentation.base64EncodedString(), createdAt: now))
        // Tokens live `tokenLifetime`: keys replaced longer ago than that signed nothing still valid.
        try await store.retire(createdBefore: now.addingTimeInterval(-(rotationInterval + tokenLifetime)), at: now)
        try await reload()
    }

    private func reload() async throws {
        keys = try await store.activeKeys()
        let collection = JWTKeyCollection()
        for key in keys {
            guard let raw = Data(base64Encoded: key.privateKey) else { continue }
            let privateKey = try Curve25519.Signing.PrivateKey(rawRepresentation: raw)
            await collection.add(eddsa: EdDSA.PrivateKey(backing: privateKey), kid: JWKIdentifier(string: key.kid))
        }
        signers = collection
    }

    func sign(_ claims: TokenClaims) async throws -> String {
        guard let current = keys.first else { throw AppError.internal("no signing key") }
        var header = JWTHeader()
        header.alg = "EdDSA"
        header.typ = "JWT"
        return try await signers.sign(claims, kid: JWKIdentifier(string: current.kid), header: header)
    }

    func jwks() throws -> JWKSDocument {
        JWKSDocument(keys: try keys.map { key in
            let raw = try Curve25519.Signing.PrivateKey(rawRepresentation: Data(base64Encoded: key.privateKey) ?? Data())
            return JWKSDocument.Key(kid: key.kid, publicKey: EdDSA.PublicKey(backing: raw.publicKey))
        })
    }

    func publicKey(kid: String) async throws -> EdDSA.PublicKey? {
        if !keys.contains(where: { $0.kid == kid }) {
            // Another auth instance may have rotated since we loaded.
            try await reload()
        }
        guard let key = keys.first(where: { $0.kid == kid }), let raw = Data(base64Encoded: key.privateKey) else { return nil }
        return EdDSA.PublicKey(backing: try Curve25519.Signing.PrivateKey(rawRepresentation: raw).publicKey)
    }
}
