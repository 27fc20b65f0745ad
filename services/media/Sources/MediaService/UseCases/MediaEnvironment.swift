import Foundation
import Logging
import MessagesAPI
import ServiceKit

/// What media's use cases share: its stores, its peer, the clock and ids.
struct MediaEnvironment: Sendable {
    let attachments: AttachmentStore
    let objects: any ObjectStore
    let viewers: any AttachmentViewers
    let ids: EventIDs
    let clock: WallClock
    let logger: Logger

    /// The attachment if `userID` may read it: they uploaded it, or a live message in a room they
    /// may view carries it. Anyone else gets 404, as for an unknown id.
    func requireReadable(_ id: UUID, by userID: UUID) async throws -> Attachment {
        guard let attachment = try await attachments.find(id) else { throw AppError.notFound("attachment not found") }
        if attachment.uploaderID == userID { return attachment }
        guard try await viewers.canView(attachment: id, user: userID) else {
            throw AppError.notFound("attachment not found")
        }
        return attachment
    }
}
