import Foundation
import MessagesAPI
import ServiceKit

/// Reports of messages, and each room's review queue for its admins. What a request carries (a
/// reason, a status, the queue's query) is read once the caller's access was checked.
struct Reporting: Sendable {
    let env: MessagesEnvironment
    /// Reports per user, a slot given back when the report then fails (`already_reported`).
    let limiter: RateLimiter

    /// One report per member and message: a second is 409 `already_reported`.
    func report(_ messageID: UUID, by userID: UUID, _ readReason: () async throws -> String) async throws -> ReportResponse {
        let (message, _) = try await env.requireMessage(messageID, .view, userID: userID)
        let reason = try await readReason()
        let report = Report(
            id: env.ids.next(at: env.clock.now()), messageID: messageID, roomID: message.roomID, reporterID: userID, reason: reason,
            reportedContent: message.content, status: .open, createdAt: env.clock.now(), reviewedBy: nil, reviewedAt: nil)
        try await limiter.counting(userID.apiString, now: env.clock.now()) {
            try await env.outbox.transaction { tx in
                try await tx.lock(stream: message.roomID.apiString)
                guard try await env.reports.insert(report, on: tx.connection) else {
                    throw AppError.conflict("you already reported this message", code: "already_reported")
                }
                try await tx.emit(MessageEventType.reportCreated.rawValue, stream: message.roomID.apiString, data: ReportCreatedPayload(
                    roomId: message.roomID.apiString, reportId: report.id.apiString, messageId: messageID.apiString))
            }
        }
        return try await responses([report], viewer: userID)[0]
    }

    /// The room's queue, oldest first: open reports unless the query's statuses say otherwise.
    func queue(of roomID: UUID, for userID: UUID, _ readQuery: () throws -> ReportQueueQuery) async throws -> ListPage<ReportResponse> {
        try await env.require(.reviewReports, roomID: roomID, userID: userID)
        let query = try readQuery()
        let fetched = try await env.reports.queue(
            of: roomID, statuses: query.statuses, after: try TimeCursor.from(query.page), limit: query.page.limit + 1, on: env.db)
        let shown = try await Paged(fetched: fetched, limit: query.page.limit).replacingItems { try await responses($0, viewer: userID) }
        return ListPage("reports", items: shown.items, nextCursor: shown.nextCursor)
    }

    /// An admin closes a report as resolved or dismissed.
    func review(_ reportID: UUID, by userID: UUID, _ readStatus: () async throws -> ReportStatus) async throws -> ReportResponse {
        guard var report = try await env.reports.find(id: reportID, on: env.db) else { throw AppError.notFound("report not found") }
        do {
            try await env.require(.reviewReports, roomID: report.roomID, userID: userID)
        } catch let error as AppError where error.status == .notFound || error.code == "not_a_member" {
            // A report is for the room's admins only: to anyone outside it does not exist.
            throw AppError.notFound("report not found")
        }
        let status = try await readStatus()
        report.status = status
        report.reviewedBy = userID
        report.reviewedAt = env.clock.now()
        try await env.reports.review(reportID, status: status, by: userID, at: report.reviewedAt!, on: env.db)
        return try await responses([report], viewer: userID)[0]
    }

    private func responses(_ reports: [Report], viewer: UUID) async throws -> [ReportResponse] {
        let messages = try await env.messages.find(ids: reports.map(\.messageID), on: env.db)
        let messageResponses = Dictionary(
            uniqueKeysWithValues: try await env.responses(messages, viewer: viewer).map { ($0.message.id, $0) })
        let reporters = try await env.users.users(reports.map(\.reporterID))
        return reports.compactMap { report in
            messageResponses[report.messageID].map { ReportResponse(report: report, reporter: reporters[report.reporterID], message: $0) }
        }
    }
}
