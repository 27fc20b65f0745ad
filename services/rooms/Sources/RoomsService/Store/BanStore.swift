import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Who may not come back into a room.
struct BanStore: Sendable {
    let logger: Logger

    /// Bans (or re-bans, updating the reason); returns the ban as stored.
    func ban(_ ban: Ban, on db: some PostgresQueryable) async throws -> Ban {
        try await Self.bans(db.run(
            """
            INSERT INTO bans (room_id, user_id, banned_by, reason, created_at)
            VALUES (\(ban.roomID), \(ban.userID), \(ban.bannedBy), \(ban.reason), \(ban.createdAt))
            ON CONFLICT (room_id, user_id) DO UPDATE SET reason = EXCLUDED.reason
            RETURNING room_id, user_id, banned_by, reason, created_at
            """, logger: logger)).first ?? ban
    }

    func unban(roomID: UUID, userID: UUID, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run("DELETE FROM bans WHERE room_id = \(roomID) AND user_id = \(userID) RETURNING user_id", logger: logger).hasRows()
    }

    func isBanned(roomID: UUID, userID: UUID, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run("SELECT 1 FROM bans WHERE room_id = \(roomID) AND user_id = \(userID)", logger: logger).hasRows()
    }

    /// Newest first, after `cursor`.
    func bans(in roomID: UUID, after cursor: TimeCursor?, limit: Int, on db: some PostgresQueryable) async throws -> [(Ban, TimeCursor)] {
        let rows = try await db.run(
            """
            SELECT room_id, user_id, banned_by, reason, created_at, (extract(epoch FROM created_at) * 1000000)::bigint AS at
            FROM bans WHERE room_id = \(roomID)
              AND (\(cursor == nil) OR ((extract(epoch FROM created_at) * 1000000)::bigint, user_id) < (\(cursor?.micros), \(cursor?.id)))
            ORDER BY at DESC, user_id DESC LIMIT \(limit)
            """, logger: logger)
        var result: [(Ban, TimeCursor)] = []
        for try await (room, user, by, reason, created, at) in rows.decode((UUID, UUID, UUID, String?, Date, Int64).self) {
            result.append((Ban(roomID: room, userID: user, bannedBy: by, reason: reason, createdAt: created), TimeCursor(micros: at, id: user)))
        }
        return result
    }

    private static func bans(_ rows: PostgresRowSequence) async throws -> [Ban] {
        var bans: [Ban] = []
        for try await (room, user, by, reason, created) in rows.decode((UUID, UUID, UUID, String?, Date).self) {
            bans.append(Ban(roomID: room, userID: user, bannedBy: by, reason: reason, createdAt: created))
        }
        return bans
    }
}
