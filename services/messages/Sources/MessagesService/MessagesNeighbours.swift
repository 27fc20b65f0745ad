import AuthAPI
import MediaAPI
import RoomsAPI
import ServiceKit

/// Whom messages depends on: auth (the keys that sign callers' tokens, users' public profiles),
/// rooms (who may do what in a room) and media (attachments carried by a message). The
/// executable reaches them over HTTP (`overHTTP`); messages' own tests stand in for them.
public struct MessagesNeighbours: Sendable {
    public var tokenKeys: any PublicKeyProvider
    public var users: any UserDirectory
    public var rooms: any RoomDirectory
    public var attachments: any AttachmentRegistry

    public init(tokenKeys: any PublicKeyProvider, users: any UserDirectory, rooms: any RoomDirectory, attachments: any AttachmentRegistry) {
        self.tokenKeys = tokenKeys
        self.users = users
        self.rooms = rooms
        self.attachments = attachments
    }

    /// Auth at `AUTH_URL`, rooms at `ROOMS_URL`, media at `MEDIA_URL`.
    static func overHTTP(_ backbone: ServiceBackbone, settings: MessagesSettings) throws -> Self {
        Self(
            tokenKeys: backbone.tokenKeys, users: HTTPUserDirectory(peer: try backbone.peer("auth", at: settings.service.authURL)),
            rooms: HTTPRoomDirectory(peer: try backbone.peer("rooms", at: settings.roomsURL)),
            attachments: HTTPAttachmentRegistry(peer: try backbone.peer("media", at: settings.mediaURL)))
    }
}
