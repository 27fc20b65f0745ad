import Foundation
import ServiceKit

/// An uploaded file's metadata. Its bytes live in the object store under `objectKey`, an image's
/// thumbnail under `thumbnailKey`.
struct Attachment: Sendable, Equatable {
    let id: UUID
    let uploaderID: UUID
    let filename: String
    let mimeType: String
    let size: Int
    /// Hex SHA-256 of the bytes.
    let sha256: String
    let objectKey: String
    let thumbnailKey: String?
    let width: Int?
    let height: Int?
    let createdAt: Date

    var isImage: Bool { FileKind.allCases.contains { $0.isImage && $0.mimeType == mimeType } }

    /// Strong validator for `ETag` and `If-None-Match`.
    var etag: String { "\"\(sha256)\"" }

    static func objectKey(of id: UUID) -> String { "attachments/\(id.apiString)/original" }
    static func thumbnailKey(of id: UUID) -> String { "attachments/\(id.apiString)/thumbnail.webp" }
}
