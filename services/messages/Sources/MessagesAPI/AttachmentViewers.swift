import Foundation
import ServiceKit

/// What media asks messages: may this user see this attachment (a live message in a room they may
/// view carries it)? `HTTPAttachmentViewers` asks the messages service; media's tests run alone
/// with a stand-in.
public protocol AttachmentViewers: Sendable {
    func canView(attachment attachmentID: UUID, user userID: UUID) async throws -> Bool
}

/// The messages service, through its generated client with the service credential. Messages
/// unreachable is 503.
public struct HTTPAttachmentViewers: AttachmentViewers {
    let client: Client

    /// `peer` carries the service credential.
    public init(peer: PeerConnection) {
        self.client = Client(serverURL: peer.url, configuration: peer.configuration, transport: peer.transport, middlewares: peer.middlewares)
    }

    public func canView(attachment attachmentID: UUID, user userID: UUID) async throws -> Bool {
        let reply: Operations.CheckAttachmentViewer.Output
        do {
            reply = try await client.checkAttachmentViewer(path: .init(id: attachmentID.apiString, userId: userID.apiString))
        } catch {
            throw AppError.serviceUnavailable("messages", internalDetail: "\(error)")
        }
        switch reply {
        case .noContent: return true
        case .notFound: return false
        default: throw AppError.serviceUnavailable("messages", internalDetail: "viewer check answered \(reply)")
        }
    }
}
