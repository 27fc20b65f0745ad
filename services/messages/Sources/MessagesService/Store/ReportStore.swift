import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Reports of messages: each room's review queue.
struct ReportStore: Sendable {
    let logger: Logger

    static let columns = "id, message_id, room_id, reporter_id, reason, status, created_at, reviewed_by, reviewed_at"
    typealias Columns = (UUID, UUID, UUID, UUID, String, String, Date, UUID?, Date?)

    static func reports(_ rows: PostgresRowSequence) async throws -> [Report] {
        var reports: [Report] = []
        for try await c in rows.decode(Columns.self) {
            reports.append(Report(
                id: c.0, messageID: c.1, roomID: c.2, reporterID: c.3, reason: c.4, status: ReportStatus(rawValue: c.5) ?? .open,
                createdAt: c.6, reviewedBy: c.7, reviewedAt: c.8))
        }
        return reports
    }

    /// False when this reporter already reported this message.
    func insert(_ report: Report, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run(
            """
            INSERT INTO reports (id, message_id, room_id, reporter_id, reason, status, created_at)
            VALUES (\(report.id), \(report.messageID), \(report.roomID), \(report.reporterID), \(report.reason), \(report.status.rawValue),
                    \(report.createdAt))
            ON CONFLICT (message_id, reporter_id) DO NOTHING RETURNING id
            """, logger: logger).hasRows()
    }

    func find(id: UUID, on db: some PostgresQueryable) async throws -> Report? {
        try await Self.reports(db.run("SELECT \(unescaped: Self.columns) FROM reports WHERE id = \(id)", logger: logger)).first
    }

    /// The room's reports with one of `statuses`, oldest first (a queue), from after `cursor`.
    func queue(of room: UUID, statuses: [ReportStatus], after cursor: (Date, UUID)?, limit: Int, on db: some PostgresQueryable) async throws -> [Report] {
        let (afterTime, afterID) = cursor ?? (Date(timeIntervalSince1970: 0), UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)))
        return try await Self.reports(db.run(
            """
            SELECT \(unescaped: Self.columns) FROM reports
            WHERE room_id = \(room) AND status = ANY(\(statuses.map(\.rawValue))) AND (created_at, id) > (\(afterTime), \(afterID))
            ORDER BY created_at, id LIMIT \(limit)
            """, logger: logger))
    }

    func review(_ id: UUID, status: ReportStatus, by reviewer: UUID, at time: Date, on db: some PostgresQueryable) async throws {
        try await db.run(
            "UPDATE reports SET status = \(status.rawValue), reviewed_by = \(reviewer), reviewed_at = \(time) WHERE id = \(id)", logger: logger)
    }
}
