import Foundation
import Logging
import PostgresNIO
import ServiceKit

struct StoredSigningKey: Sendable {
    let kid: String
    /// Base64 of the raw 32 bytes, opened.
    let privateKey: String
    let createdAt: Date
}

/// Auth's Ed25519 signing keys. Private keys are stored sealed (`SecretSealer`, bound to their kid)
/// and opened as they are read.
struct SigningKeyStore: Sendable {
    let client: PostgresClient
    let sealer: SecretSealer
    let logger: Logger

    /// Keys not yet retired, newest first.
    func activeKeys() async throws -> [StoredSigningKey] {
        let rows = try await client.query(
            "SELECT kid, private_key, created_at FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, kid DESC",
            logger: logger)
        var keys: [StoredSigningKey] = []
        for try await (kid, stored, createdAt) in rows.decode((String, String, Date).self) {
            let privateKey: String
            do {
                privateKey = try sealer.open(stored, for: Self.row(kid))
            } catch {
                throw AppError.internal("signing key \(kid) does not open: \(error)")
            }
            keys.append(StoredSigningKey(kid: kid, privateKey: privateKey, createdAt: createdAt))
        }
        return keys
    }

    func insert(_ key: StoredSigningKey) async throws {
        let sealed = try sealer.seal(key.privateKey, for: Self.row(key.kid))
        try await client.query(
            "INSERT INTO signing_keys (kid, private_key, created_at) VALUES (\(key.kid), \(sealed), \(key.createdAt))",
            logger: logger)
    }

    func retire(createdBefore date: Date, at now: Date) async throws {
        try await client.query(
            "UPDATE signing_keys SET retired_at = \(now) WHERE retired_at IS NULL AND created_at < \(date)", logger: logger)
    }

    // MARK: sealing

    /// What a private key's seal is bound to: its column and kid.
    static func row(_ kid: String) -> String {
        "signing_keys.private_key:\(kid)"
    }

    /// Every private key (retired ones too), as stored.
    func storedKeys() async throws -> [(kid: String, stored: String)] {
        let rows = try await client.query("SELECT kid, private_key FROM signing_keys", logger: logger)
        var found: [(kid: String, stored: String)] = []
        for try await (kid, stored) in rows.decode((String, String).self) { found.append((kid, stored)) }
        return found
    }

    /// Replaces a stored private key unless another instance did so meanwhile.
    func replaceStoredKey(kid: String, from old: String, to new: String) async throws {
        try await client.query(
            "UPDATE signing_keys SET private_key = \(new) WHERE kid = \(kid) AND private_key = \(old)", logger: logger)
    }
}
