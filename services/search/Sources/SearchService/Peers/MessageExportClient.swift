import Foundation
import MessagesAPI
import ServiceKit

/// Messages' export (`exportMessages`) through its generated client, each message as the JSON
/// tree the index reads from events too.
struct MessageExportClient: Sendable {
    let client: MessagesAPI.Client

    struct Page {
        let messages: [JSONValue]
        let lastID: UUID?
        let hasMore: Bool
    }

    init(peer: PeerConnection) {
        self.client = MessagesAPI.Client(serverURL: peer.url, configuration: peer.configuration, transport: peer.transport, middlewares: peer.middlewares)
    }

    func page(after: UUID?, limit: Int) async throws -> Page {
        let reply: Operations.ExportMessages.Output
        do {
            reply = try await client.exportMessages(query: .init(after: after?.apiString, limit: limit))
        } catch {
            throw AppError.serviceUnavailable("messages", internalDetail: "\(error)")
        }
        guard case .ok(let ok) = reply else { throw AppError.serviceUnavailable("messages", internalDetail: "export answered \(reply)") }
        let body = try ok.body.json
        // Back to API.md's JSON: the generated types encode their own snake_case keys.
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = APIJSON.encoder().dateEncodingStrategy
        let messages = try body.messages.map { try JSONValue(parsing: encoder.encode($0)) }
        let lastID = body.messages.last.flatMap { UUID(uuidString: $0.id) }
        return Page(messages: messages, lastID: lastID, hasMore: body.nextAfter != nil)
    }
}
