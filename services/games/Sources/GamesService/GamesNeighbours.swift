import AuthAPI
import RoomsAPI
import ServiceKit

/// Whom games depends on: auth (the keys that sign callers' tokens, the players' names) and rooms
/// (who is in a room and may post there). The executable reaches them over HTTP (`overHTTP`);
/// games' own tests stand in for them.
public struct GamesNeighbours: Sendable {
    public var tokenKeys: any PublicKeyProvider
    public var users: any UserDirectory
    public var rooms: any RoomDirectory

    public init(tokenKeys: any PublicKeyProvider, users: any UserDirectory, rooms: any RoomDirectory) {
        self.tokenKeys = tokenKeys
        self.users = users
        self.rooms = rooms
    }

    /// Auth at `AUTH_URL`, rooms at `ROOMS_URL`.
    static func overHTTP(_ backbone: ServiceBackbone, settings: GamesSettings) throws -> Self {
        Self(
            tokenKeys: backbone.tokenKeys, users: HTTPUserDirectory(peer: try backbone.peer("auth", at: settings.service.authURL)),
            rooms: HTTPRoomDirectory(peer: try backbone.peer("rooms", at: settings.roomsURL)))
    }
}
