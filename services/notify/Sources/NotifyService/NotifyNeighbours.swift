import AuthAPI
import RoomsAPI
import ServiceKit

/// Whom notify depends on: auth (the keys that sign callers' tokens, the users named in a
/// notification) and rooms (a room's members and their notification levels). The executable
/// reaches them over HTTP (`overHTTP`); notify's own tests stand in for them.
public struct NotifyNeighbours: Sendable {
    public var tokenKeys: any PublicKeyProvider
    public var users: any UserDirectory
    public var rooms: any RoomDirectory

    public init(tokenKeys: any PublicKeyProvider, users: any UserDirectory, rooms: any RoomDirectory) {
        self.tokenKeys = tokenKeys
        self.users = users
        self.rooms = rooms
    }

    /// Auth at `AUTH_URL`, rooms at `ROOMS_URL`.
    static func overHTTP(_ backbone: ServiceBackbone, settings: NotifySettings) throws -> Self {
        Self(
            tokenKeys: backbone.tokenKeys, users: HTTPUserDirectory(peer: try backbone.peer("auth", at: settings.service.authURL)),
            rooms: HTTPRoomDirectory(peer: try backbone.peer("rooms", at: settings.roomsURL)))
    }
}
