import Foundation
import MessagesAPI

/// Messages, for media tested without it: who may see a linked attachment is answered by the
/// closure the test set; without one, the question fails the test.
public struct AttachmentViewersStub: AttachmentViewers {
    public var canView: @Sendable (_ attachmentID: UUID, _ userID: UUID) async throws -> Bool = { _, _ in
        try unexpectedCall("AttachmentViewers.canView(attachment:user:)")
    }

    public init() {}

    public func canView(attachment attachmentID: UUID, user userID: UUID) async throws -> Bool {
        try await canView(attachmentID, userID)
    }
}
