import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// A login session as its owner sees it in the list.
struct StoredSession: Sendable {
    let id: UUID
    let createdAt: Date
    let userAgent: String?
}

/// Login sessions: one per issued token. Revocation is recorded here durably and mirrored to
/// Redis (`SessionRevocations`) for the other services. Revoking is idempotent: revoking a
/// session again returns it again, so a revocation whose Redis write failed can be written again.
struct SessionStore: Sendable {
    let client: PostgresClient
    let logger: Logger

    func create(id: UUID, userID: UUID, createdAt: Date, expiresAt: Date, userAgent: String?) async throws {
        try await client.query(
            """
            INSERT INTO sessions (id, user_id, created_at, expires_at, user_agent)
            VALUES (\(id), \(userID), \(createdAt), \(expiresAt), \(userAgent))
            """,
            logger: logger)
    }

    /// The user's live sessions (not revoked, not expired), newest first: at most `limit`, and
    /// `current` among them however old it is.
    func live(of userID: UUID, current: UUID, now: Date, limit: Int) async throws -> [StoredSession] {
        let rows = try await client.query(
            """
            SELECT id, created_at, user_agent FROM (
                SELECT id, created_at, user_agent FROM sessions
                WHERE user_id = \(userID) AND revoked_at IS NULL AND expires_at > \(now)
                ORDER BY id = \(current) DESC, created_at DESC, id DESC
                LIMIT \(limit)
            ) shown
            ORDER BY created_at DESC, id DESC
            """, logger: logger)
        var sessions: [StoredSession] = []
        for try await (id, createdAt, userAgent) in rows.decode((UUID, Date, String?).self) {
            sessions.append(StoredSession(id: id, createdAt: createdAt, userAgent: userAgent))
        }
        return sessions
    }

    /// Revokes one unexpired session of the user (again, if it was already); returns its expiry,
    /// or nil when the user has no such session.
    func revoke(id: UUID, of userID: UUID, at now: Date) async throws -> Date? {
        let rows = try await client.query(
            """
            UPDATE sessions SET revoked_at = COALESCE(revoked_at, \(now))
            WHERE id = \(id) AND user_id = \(userID) AND expires_at > \(now)
            RETURNING expires_at
            """, logger: logger)
        return try await rows.all(Date.self).first
    }

    /// Revokes every unexpired session of the user but `kept` (those revoked already too, so
    /// that each is written to Redis again).
    func revokeAll(of userID: UUID, except kept: UUID, at now: Date, on db: some PostgresQueryable) async throws -> [(id: UUID, expiresAt: Date)] {
        let rows = try await db.run(
            """
            UPDATE sessions SET revoked_at = COALESCE(revoked_at, \(now))
            WHERE user_id = \(userID) AND id <> \(kept) AND expires_at > \(now)
            RETURNING id, expires_at
            """, logger: logger)
        var sessions: [(id: UUID, expiresAt: Date)] = []
        for try await (id, expiresAt) in rows.decode((UUID, Date).self) { sessions.append((id, expiresAt)) }
        return sessions
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

    /// Deletes up to `limit` sessions expired by `now`; returns how many.
    func deleteExpired(now: Date, limit: Int) async throws -> Int {
        try await client.query(
            """
            DELETE FROM sessions WHERE id IN (
                SELECT id FROM sessions WHERE expires_at <= \(now) ORDER BY expires_at LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING id
            """, logger: logger).all(UUID.self).count
    }
}
