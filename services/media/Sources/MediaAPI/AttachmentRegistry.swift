import Foundation
import ServiceKit

/// What messages asks media: to link a sender's attachments to the message being sent.
/// `HTTPAttachmentRegistry` asks the media service; messages' tests run alone with a stand-in.
public protocol AttachmentRegistry: Sendable {
    /// The user's own attachments among `ids`, in the order asked, now marked as carried by a
    /// message; ids that are not theirs are left out.
    func claim(_ ids: [UUID], for userID: UUID) async throws -> [AttachmentSummary]
}

/// The media service, through its generated client with the service credential. Media
/// unreachable is 503.
public struct HTTPAttachmentRegistry: AttachmentRegistry {
    let client: Client

    /// `peer` carries the service credential.
    public init(peer: PeerConnection) {
        self.client = Client(serverURL: peer.url, configuration: peer.configuration, transport: peer.transport, middlewares: peer.middlewares)
    }

    public func claim(_ ids: [UUID], for userID: UUID) async throws -> [AttachmentSummary] {
        let reply: Operations.ClaimAttachments.Output
        do {
            reply = try await client.claimAttachments(body: .json(.init(userId: userID.apiString, attachmentIds: ids.map(\.apiString))))
        } catch {
            throw AppError.serviceUnavailable("media", internalDetail: "\(error)")
        }
        guard case .ok(let ok) = reply else { throw AppError.serviceUnavailable("media", internalDetail: "claim answered \(reply)") }
        return try ok.body.json.attachments.map(AttachmentSummary.init)
    }
}

/// An attachment as a message shows it. Codable, to be stored with the message.
public struct AttachmentSummary: Codable, Sendable, Equatable {
    public let id: UUID
    public let filename: String
    public let size: Int
    public let mimeType: String
    public let url: String
    public let thumbnailUrl: String?
    public let width: Int?
    public let height: Int?
    public let createdAt: Date

    public var isImage: Bool { mimeType.hasPrefix("image/") }

    init(_ attachment: Components.Schemas.Attachment) throws {
        guard let id = UUID(uuidString: attachment.id) else { throw AppError.internal("media sent attachment id \(attachment.id)") }
        self.id = id
        self.filename = attachment.filename
        self.size = Int(attachment.size)
        self.mimeType = attachment.mimeType
        self.url = attachment.url
        self.thumbnailUrl = attachment.thumbnailUrl
        self.width = attachment.width
        self.height = attachment.height
        self.createdAt = attachment.createdAt
    }
}
