import Foundation
import Hummingbird
import ServiceKit

/// An attachment in API.md's shape; every key is written, absent values as null.
struct AttachmentResponse: ResponseEncodable, Sendable {
    let attachment: Attachment

    enum CodingKeys: String, CodingKey {
        case id, filename, size, mimeType, url, thumbnailUrl, width, height, createdAt, uploaderId
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        let id = attachment.id.apiString
        try container.encode(id, forKey: .id)
        try container.encode(attachment.filename, forKey: .filename)
        try container.encode(attachment.size, forKey: .size)
        try container.encode(attachment.mimeType, forKey: .mimeType)
        try container.encode("/attachments/\(id)", forKey: .url)
        try container.encode(attachment.thumbnailKey.map { _ in "/attachments/\(id)/thumbnail" }, forKey: .thumbnailUrl)
        try container.encode(attachment.width, forKey: .width)
        try container.encode(attachment.height, forKey: .height)
        try container.encode(attachment.createdAt, forKey: .createdAt)
        try container.encode(attachment.uploaderID.apiString, forKey: .uploaderId)
    }
}

/// `POST /internal/attachments/claim`'s reply.
struct ClaimedAttachmentsResponse: ResponseEncodable, Sendable {
    let attachments: [AttachmentResponse]
}
