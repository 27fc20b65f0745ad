import MessagesAPI
import ServiceKit

/// Whom media depends on: auth (the keys that sign callers' tokens) and messages (who may see an
/// attachment). The executable reaches them over HTTP (`overHTTP`); media's own tests stand in
/// for them.
public struct MediaNeighbours: Sendable {
    public var tokenKeys: any PublicKeyProvider
    public var viewers: any AttachmentViewers

    public init(tokenKeys: any PublicKeyProvider, viewers: any AttachmentViewers) {
        self.tokenKeys = tokenKeys
        self.viewers = viewers
    }

    /// Auth at `AUTH_URL`, messages at `MESSAGES_URL`.
    static func overHTTP(_ backbone: ServiceBackbone, settings: MediaSettings) throws -> Self {
        Self(tokenKeys: backbone.tokenKeys, viewers: HTTPAttachmentViewers(peer: try backbone.peer("messages", at: settings.messagesURL)))
    }
}
