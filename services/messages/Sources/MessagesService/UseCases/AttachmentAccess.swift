import Foundation
import RoomsAPI
import ServiceKit

/// Who may read a file a message carries: the members who may view the room of the live message
/// that carries it (media asks; it also lets the uploader read their own files).
struct AttachmentAccess: Sendable {
    let env: MessagesEnvironment

    func canView(attachment attachmentID: UUID, user userID: UUID) async throws -> Bool {
        guard let roomID = try await env.messages.roomCarrying(attachment: attachmentID, on: env.db),
            let access = try await env.access.access(of: userID, in: roomID)
        else { return false }
        return access.allows(.view)
    }
}
