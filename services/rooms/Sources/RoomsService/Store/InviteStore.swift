import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Invite links.
struct InviteStore: Sendable {
    let logger: Logger
    private static let columns = "code, room_id, created_by, created_at, expires_at, max_uses, uses, revoked"

    func insert(_ invite: Invite, on db: some PostgresQueryable) async throws {
        try await db.run(
            """
            INSERT INTO invites (code, room_id, created_by, created_at, expires_at, max_uses, uses, revoked)
            VALUES (\(invite.code), \(invite.roomID), \(invite.createdBy), \(invite.createdAt), \(invite.expiresAt),
                    \(invite.maxUses), 0, false)
            """, logger: logger)
    }

    func find(code: String, on db: some PostgresQueryable) async throws -> Invite? {
        try await Self.invites(db.run("SELECT \(unescaped: Self.columns) FROM invites WHERE code = \(code)", logger: logger)).first
    }

    /// Counts one use if the invite is still good at `now`; nil otherwise. Two concurrent accepts of
    /// a single-use invite serialize on the row, and the second sees it used up.
    func consume(code: String, now: Date, on db: some PostgresQueryable) async throws -> Invite? {
        try await Self.invites(db.run(
            """
            UPDATE invites SET uses = uses + 1
            WHERE code = \(code) AND NOT revoked AND expires_at > \(now) AND (max_uses IS NULL OR uses < max_uses)
            RETURNING \(unescaped: Self.columns)
            """, logger: logger)).first
    }

    func revoke(code: String, on db: some PostgresQueryable) async throws -> Invite? {
        try await Self.invites(db.run(
            "UPDATE invites SET revoked = true WHERE code = \(code) RETURNING \(unescaped: Self.columns)", logger: logger)).first
    }

    /// A room's invites, newest first, after `cursor`.
    func invites(in roomID: UUID, after cursor: TimeCursor?, limit: Int, on db: some PostgresQueryable) async throws -> [(Invite, TimeCursor)] {
        let rows = try await db.run(
            """
            SELECT \(unescaped: Self.columns), (extract(epoch FROM created_at) * 1000000)::bigint FROM invites WHERE room_id = \(roomID)
              AND (\(cursor == nil) OR ((extract(epoch FROM created_at) * 1000000)::bigint, code) < (\(cursor?.micros), \(cursor?.key)))
            ORDER BY created_at DESC, code DESC LIMIT \(limit)
            """, logger: logger)
        var result: [(Invite, TimeCursor)] = []
        for try await (code, room, by, created, expires, maxUses, uses, revoked, at) in rows.decode(
            (String, UUID, UUID, Date, Date, Int?, Int, Bool, Int64).self)
        {
            let invite = Invite(code: code, roomID: room, createdBy: by, createdAt: created, expiresAt: expires, maxUses: maxUses, uses: uses, revoked: revoked)
            result.append((invite, TimeCursor(micros: at, key: code)))
        }
        return result
    }

    private static func invites(_ rows: PostgresRowSequence) async throws -> [Invite] {
        var invites: [Invite] = []
        for try await (code, room, by, created, expires, maxUses, uses, revoked) in rows.decode(
            (String, UUID, UUID, Date, Date, Int?, Int, Bool).self)
        {
            invites.append(Invite(code: code, roomID: room, createdBy: by, createdAt: created, expiresAt: expires,
                                  maxUses: maxUses, uses: uses, revoked: revoked))
        }
        return invites
    }
}
