import AuthAPI
import ServiceKit

/// The neighbours of a service that answers for rooms' members and nothing more (search,
/// notify, games, calls): auth (the keys that sign callers' tokens, and users) and rooms (who is
/// in a room, their levels, blocks). The executables reach them over HTTP (`overHTTP`); each
/// service's own tests stand in for them. Each service names it for itself
/// (`NotifyNeighbours`, ...).
public struct MemberServiceNeighbours: Sendable {
    public var tokenKeys: any PublicKeyProvider
    public var users: any UserDirectory
    public var rooms: any RoomDirectory

    public init(tokenKeys: any PublicKeyProvider, users: any UserDirectory, rooms: any RoomDirectory) {
        self.tokenKeys = tokenKeys
        self.users = users
        self.rooms = rooms
    }

    /// Auth at the service's `AUTH_URL`, rooms at `roomsURL` (`ROOMS_URL`).
    public static func overHTTP(_ backbone: ServiceBackbone, authURL: String, roomsURL: String) throws -> Self {
        Self(
            tokenKeys: backbone.tokenKeys, users: HTTPUserDirectory(peer: try backbone.peer("auth", at: authURL)),
            rooms: HTTPRoomDirectory(peer: try backbone.peer("rooms", at: roomsURL)))
    }
}
