import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Reports of messages: each room's review queue.
struct ReportStore: Sendable {
    let logger: Logger

    static let columns = "id, message_id, room_id, reporter_id, reason, reported_content, status, created_at, reviewed_by, reviewed_at"
    typealias Columns = (UUID, UUID, UUID, UUID, String, String, String, Date, UUID?, Date?)

    static func report(_ c: Columns) -> Report {
        Report(
            id: c.0, messageID: c.1, roomID: c.2, reporterID: c.3, reason: c.4, reportedContent: c.5,
            status: ReportStatus(rawValue: c.6) ?? .open, createdAt: c.7, reviewedBy: c.8, reviewedAt: c.9)
    }

    /// False when this reporter already reported this message.
    func insert(_ report: Report, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run(
            """
            INSERT INTO reports (id, message_id, room_id, reporter_id, reason, reported_content, status, created_at)
            VALUES (\(report.id), \(report.messageID), \(report.roomID), \(report.reporterID), \(report.reason), \(report.reportedContent),
                    \(report.status.rawValue), \(report.createdAt))
            ON CONFLICT (message_id, reporter_id) DO NOTHING RETURNING id
            """, logger: logger).hasRows()
    }

    func find(id: UUID, on db: some PostgresQueryable) async throws -> Report? {
        let rows = try await db.run("SELECT \(unescaped: Self.columns) FROM reports WHERE id = \(id)", logger: logger)
        for try await columns in rows.decode(Columns.self) { return Self.report(columns) }
        return nil
    }

    /// The room's reports with one of `statuses`, oldest first (a queue), after `cursor` (the
    /// creation time in microseconds, as Postgres keeps it, and the id); each with its own cursor.
    func queue(
        of room: UUID, statuses: [ReportStatus], after cursor: TimeCursor?, limit: Int, on db: some PostgresQueryable
    ) async throws -> [(Report, TimeCursor)] {
        let afterMicros = cursor?.micros ?? .min
        // A cursor whose key is not an id matches nothing.
        guard let afterID = cursor == nil ? UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)) : cursor?.id else { return [] }
        let rows = try await db.run(
            """
            SELECT \(unescaped: Self.columns), (extract(epoch FROM created_at) * 1000000)::bigint AS micros FROM reports
            WHERE room_id = \(room) AND status = ANY(\(statuses.map(\.rawValue)))
              AND ((extract(epoch FROM created_at) * 1000000)::bigint, id) > (\(afterMicros), \(afterID))
            ORDER BY created_at, id LIMIT \(limit)
            """, logger: logger)
        var reports: [(Report, TimeCursor)] = []
        for try await c in rows.decode((UUID, UUID, UUID, UUID, String, String, String, Date, UUID?, Date?, Int64).self) {
            let report = Self.report((c.0, c.1, c.2, c.3, c.4, c.5, c.6, c.7, c.8, c.9))
            reports.append((report, TimeCursor(micros: c.10, id: report.id)))
        }
        return reports
    }

    func review(_ id: UUID, status: ReportStatus, by reviewer: UUID, at time: Date, on db: some PostgresQueryable) async throws {
        try await db.run(
            "UPDATE reports SET status = \(status.rawValue), reviewed_by = \(reviewer), reviewed_at = \(time) WHERE id = \(id)", logger: logger)
    }
}
