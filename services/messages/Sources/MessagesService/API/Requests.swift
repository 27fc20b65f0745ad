import Foundation
import Hummingbird
import ServiceKit

/// Request bodies and queries. Each validates itself as it decodes, so a handler only sees good
/// input.

/// `POST /rooms/:id/messages` (and the gateway's `send_message`). `attachments` is accepted as an
/// alias of `attachment_ids` (API.md).
struct SendMessageRequest: Decodable {
    let draft: Messaging.Draft

    enum CodingKeys: String, CodingKey { case content, parentId, attachmentIds, attachments, clientId }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let attachmentIDs = try container.decodeIfPresent([UUID].self, forKey: .attachmentIds)
            ?? container.decodeIfPresent([UUID].self, forKey: .attachments) ?? []
        // Repeats count once, in the order first given.
        var seen = Set<UUID>()
        let uniqueAttachmentIDs = attachmentIDs.filter { seen.insert($0).inserted }
        guard uniqueAttachmentIDs.count <= MessageRules.maxAttachments else {
            throw AppError.validation(field: "attachment_ids", "a message carries at most \(MessageRules.maxAttachments) attachments")
        }
        // A message of files alone needs no text.
        let content = try container.decodeIfPresent(String.self, forKey: .content) ?? (uniqueAttachmentIDs.isEmpty ? nil : "")
        guard let content else {
            throw AppError.validation(field: "content", "content must be 1-\(MessageRules.maxContentLength) characters")
        }
        self.draft = Messaging.Draft(
            content: try MessageRules.content(content, withAttachments: !uniqueAttachmentIDs.isEmpty),
            parentID: try container.decodeIfPresent(UUID.self, forKey: .parentId), attachmentIDs: uniqueAttachmentIDs,
            clientID: try MessageRules.clientID(try container.decodeIfPresent(String.self, forKey: .clientId)))
    }
}

/// `PUT /messages/:id`.
struct EditMessageRequest: Decodable {
    let content: String

    enum CodingKeys: String, CodingKey { case content }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let content = try container.decodeIfPresent(String.self, forKey: .content) else {
            throw AppError.validation(field: "content", "content must be 1-\(MessageRules.maxContentLength) characters")
        }
        self.content = try MessageRules.content(content)
    }
}

/// `POST /messages/:id/reactions`.
struct ReactionRequest: Decodable {
    let emoji: String

    enum CodingKeys: String, CodingKey { case emoji }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.emoji = try MessageRules.emoji(try container.decodeIfPresent(String.self, forKey: .emoji) ?? "")
    }
}

/// `POST /messages/:id/report`.
struct ReportRequest: Decodable {
    let reason: String

    enum CodingKeys: String, CodingKey { case reason }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        self.reason = try MessageRules.reportReason(try container.decodeIfPresent(String.self, forKey: .reason) ?? "")
    }
}

/// `PATCH /reports/:id`: an admin closes a report.
struct ReviewRequest: Decodable {
    let status: ReportStatus

    enum CodingKeys: String, CodingKey { case status }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let text = try container.decodeIfPresent(String.self, forKey: .status)
        guard let status = text.flatMap(ReportStatus.init(rawValue:)), status != .open else {
            throw AppError.validation(field: "status", "status must be resolved or dismissed")
        }
        self.status = status
    }
}

/// `POST /rooms/:id/pins`.
struct PinRequest: Decodable {
    let messageId: UUID
}

/// `limit`, `before` and `after` of a chronological message list (API.md "Pagination").
struct MessageWindowQuery {
    let window: MessageStore.Window
    let limit: Int

    init(_ query: Parameters) throws {
        self.limit = try PageRequest.limit(in: query)
        let before = try Self.id(query, "before")
        let after = try Self.id(query, "after")
        switch (before, after) {
        case (nil, nil): self.window = .newest
        case (let id?, nil): self.window = .before(id)
        case (nil, let id?): self.window = .after(id)
        case (.some, .some): throw AppError.validation(field: "after", "use either before or after, not both")
        }
    }

    private static func id(_ query: Parameters, _ name: String) throws -> UUID? {
        guard let text = query[Substring(name)].map(String.init), !text.isEmpty else { return nil }
        guard let id = UUID(uuidString: text) else { throw AppError.validation(field: name, "\(name) must be a message id") }
        return id
    }
}

/// `GET /rooms/:id/reports?status=&limit=&cursor=`: open reports (the default), resolved,
/// dismissed or all, a page at a time.
struct ReportQueueQuery {
    let statuses: [ReportStatus]
    let page: PageRequest

    init(_ query: Parameters) throws {
        self.statuses = try Self.statuses(query)
        self.page = try PageRequest(query: query)
    }

    private static func statuses(_ query: Parameters) throws -> [ReportStatus] {
        guard let text = query["status"], !text.isEmpty else { return [.open] }
        if text == "all" { return [.open, .resolved, .dismissed] }
        guard let status = ReportStatus(rawValue: String(text)) else {
            throw AppError.validation(field: "status", "status must be open, resolved, dismissed or all")
        }
        return [status]
    }
}
