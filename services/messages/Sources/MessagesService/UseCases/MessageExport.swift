import Foundation
import ServiceKit

/// Every live message (not deleted, not a system message) in id order, a page at a time: what a
/// new search deployment indexes before events keep it current.
struct MessageExport: Sendable {
    static let maxPage = 1_000

    let env: MessagesEnvironment

    func page(after: UUID?, limit: Int) async throws -> ExportPageResponse {
        let messages = try await env.messages.exportPage(after: after, limit: limit, on: env.db)
        return ExportPageResponse(
            messages: try await env.responses(messages, viewer: nil), nextAfter: messages.count == limit ? messages.last?.id.apiString : nil)
    }
}
