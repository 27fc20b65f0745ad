import Foundation
import Logging
import PostgresNIO

/// Login sessions: one per issued token. Revocation is recorded here durably and mirrored to
/// Redis (`SessionRevocations`) for the other services.
struct SessionStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    func create(id: UUID, userID: UUID, createdAt: Date, expiresAt: Date) async throws {
        try await client.query(
            "INSERT INTO sessions (id, user_id, created_at, expires_at) VALUES (\(id), \(userID), \(createdAt), \(expiresAt))",
            logger: logger)
    }

    /// Revokes a session; returns its expiry, or nil when it was unknown or already revoked.
    func revoke(id: UUID, at date: Date) async throws -> Date? {
        let rows = try await client.query(
            "UPDATE sessions SET revoked_at = \(date) WHERE id = \(id) AND revoked_at IS NULL RETURNING expires_at",
            logger: logger)
        for try await expiresAt in rows.decode(Date.self) { return expiresAt }
        return nil
    }

    /// Revoked sessions whose tokens could still be presented: replayed into Redis at startup,
    /// so a Redis that lost its data does not bring logged-out tokens back to life.
    func revokedUnexpired(now: Date) async throws -> [(id: UUID, expiresAt: Date)] {
        let rows = try await client.query(
            "SELECT id, expires_at FROM sessions WHERE revoked_at IS NOT NULL AND expires_at > \(now)", logger: logger)
        var sessions: [(id: UUID, expiresAt: Date)] = []
        for try await (id, expiresAt) in rows.decode((UUID, Date).self) { sessions.append((id, expiresAt)) }
        return sessions
    }
}
