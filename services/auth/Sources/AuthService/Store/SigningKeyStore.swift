import Foundation
import Logging
import PostgresNIO

struct StoredSigningKey: Sendable {
    let kid: String
    let privateKey: String
    let createdAt: Date
}

/// Auth's Ed25519 signing keys (private keys as base64 of the raw 32 bytes).
struct SigningKeyStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    /// Keys not yet retired, newest first.
    func activeKeys() async throws -> [StoredSigningKey] {
        let rows = try await client.query(
            "SELECT kid, private_key, created_at FROM signing_keys WHERE retired_at IS NULL ORDER BY created_at DESC, kid DESC",
            logger: logger)
        var keys: [StoredSigningKey] = []
        for try await (kid, privateKey, createdAt) in rows.decode((String, String, Date).self) {
            keys.append(StoredSigningKey(kid: kid, privateKey: privateKey, createdAt: createdAt))
        }
        return keys
    }

    func insert(_ key: StoredSigningKey) async throws {
        try await client.query(
            "INSERT INTO signing_keys (kid, private_key, created_at) VALUES (\(key.kid), \(key.privateKey), \(key.createdAt))",
            logger: logger)
    }

    func retire(createdBefore date: Date, at now: Date) async throws {
        try await client.query(
            "UPDATE signing_keys SET retired_at = \(now) WHERE retired_at IS NULL AND created_at < \(date)", logger: logger)
    }
}
