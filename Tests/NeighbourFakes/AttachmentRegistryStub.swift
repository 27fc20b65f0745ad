import Foundation
import MediaAPI

/// Media, for messages tested without it: which attachments a sender may claim is answered by the
/// closure the test set; without one, the question fails the test.
public struct AttachmentRegistryStub: AttachmentRegistry {
    public var claim: @Sendable (_ ids: [UUID], _ userID: UUID) async throws -> [AttachmentSummary] = { _, _ in
        try unexpectedCall("AttachmentRegistry.claim(_:for:)")
    }

    public init() {}

    public func claim(_ ids: [UUID], for userID: UUID) async throws -> [AttachmentSummary] {
        try await claim(ids, userID)
    }
}
