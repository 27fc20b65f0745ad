import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Who blocked whom.
struct BlockStore: Sendable {
    let logger: Logger

    /// Blocks; a repeat keeps the first block's time.
    /// False when the block was already there.
    func block(_ block: Block, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run(
            """
            INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES (\(block.blockerID), \(block.blockedID), \(block.createdAt))
            ON CONFLICT DO NOTHING RETURNING blocker_id
            """, logger: logger).hasRows()
    }

    /// False when there was no such block.
    func unblock(blockerID: UUID, blockedID: UUID, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run(
            "DELETE FROM blocks WHERE blocker_id = \(blockerID) AND blocked_id = \(blockedID) RETURNING blocker_id", logger: logger).hasRows()
    }

    /// Whether either of the two blocked the other.
    func eitherBlocks(_ first: UUID, _ second: UUID, on db: some PostgresQueryable) async throws -> (firstBlocksSecond: Bool, secondBlocksFirst: Bool) {
        let blockers = try await db.run(
            """
            SELECT blocker_id FROM blocks
            WHERE (blocker_id = \(first) AND blocked_id = \(second)) OR (blocker_id = \(second) AND blocked_id = \(first))
            """, logger: logger).all(UUID.self)
        return (blockers.contains(first), blockers.contains(second))
    }

    /// Whether a block (either way) stands between `member` and the other member of a direct room.
    func separates(directRoom roomID: UUID, member userID: UUID, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run(
            """
            SELECT 1 FROM memberships m JOIN blocks b
              ON (b.blocker_id = \(userID) AND b.blocked_id = m.user_id) OR (b.blocker_id = m.user_id AND b.blocked_id = \(userID))
            WHERE m.room_id = \(roomID) AND m.user_id <> \(userID)
            """, logger: logger).hasRows()
    }

    /// Whom `userID` blocked, newest first, after `cursor`.
    func blocks(by userID: UUID, after cursor: TimeCursor?, limit: Int, on db: some PostgresQueryable) async throws -> [(Block, TimeCursor)] {
        let rows = try await db.run(
            """
            SELECT blocked_id, created_at, (extract(epoch FROM created_at) * 1000000)::bigint AS at FROM blocks
            WHERE blocker_id = \(userID)
              AND (\(cursor == nil) OR ((extract(epoch FROM created_at) * 1000000)::bigint, blocked_id) < (\(cursor?.micros), \(cursor?.id)))
            ORDER BY at DESC, blocked_id DESC LIMIT \(limit)
            """, logger: logger)
        var result: [(Block, TimeCursor)] = []
        for try await (blocked, created, at) in rows.decode((UUID, Date, Int64).self) {
            result.append((Block(blockerID: userID, blockedID: blocked, createdAt: created), TimeCursor(micros: at, id: blocked)))
        }
        return result
    }

    /// Everyone `userID` blocked (for the other services' checks).
    func blockedIDs(by userID: UUID, on db: some PostgresQueryable) async throws -> [UUID] {
        try await db.run("SELECT blocked_id FROM blocks WHERE blocker_id = \(userID)", logger: logger).all(UUID.self)
    }

    /// Everyone who blocked `userID` (nothing from `userID` should reach them).
    func blockerIDs(of userID: UUID, on db: some PostgresQueryable) async throws -> [UUID] {
        try await db.run("SELECT blocker_id FROM blocks WHERE blocked_id = \(userID)", logger: logger).all(UUID.self)
    }
}
