import Foundation
import ServiceKit

/// `POST /rooms/:id/scheduled-messages` `{content, parent_id?, send_at}` and
/// `PATCH /scheduled-messages/:id` `{content?, send_at?}`: the content as a message's, `send_at`
/// an RFC 3339 time (its range is checked against the clock by `ScheduledMessages`).
struct ScheduleMessageRequest: Decodable {
    let draft: ScheduledMessages.Draft

    enum CodingKeys: String, CodingKey { case content, parentId, sendAt }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        let content = try container.decodeIfPresent(String.self, forKey: .content).map { try MessageRules.content($0) }
        var sendAt: Date?
        if let text = try container.decodeIfPresent(String.self, forKey: .sendAt) {
            guard let parsed = Timestamp.parse(text) else { throw AppError.validation(field: "send_at", "send_at must be an RFC 3339 time") }
            sendAt = parsed
        }
        self.draft = ScheduledMessages.Draft(content: content, parentID: try container.decodeIfPresent(UUID.self, forKey: .parentId), sendAt: sendAt)
    }
}
