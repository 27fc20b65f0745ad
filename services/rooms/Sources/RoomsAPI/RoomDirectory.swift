import Foundation
import ServiceKit

/// What other services ask rooms: a user's standing in a room, a room's members, the rooms a user
/// is in and who has blocked a user. `HTTPRoomDirectory` asks the rooms service; a service's tests
/// run alone with a stand-in.
public protocol RoomDirectory: Sendable {
    func roomIDs(of userID: UUID) async throws -> Set<UUID>
    /// The user's standing in the room; nil when there is no such room.
    func access(of userID: UUID, in roomID: UUID) async throws -> RoomAccess?
    /// Every member of the room with role and notification level; nil when there is no such room.
    func roster(of roomID: UUID) async throws -> RoomRoster?
    /// Everyone who has blocked the user.
    func blockers(of userID: UUID) async throws -> Set<UUID>
}

/// The rooms service, through its generated client with the service credential. Rooms
/// unreachable is 503.
public struct HTTPRoomDirectory: RoomDirectory {
    let client: Client

    /// `peer` carries the service credential.
    public init(peer: PeerConnection) {
        self.client = Client(serverURL: peer.url, configuration: peer.configuration, transport: peer.transport, middlewares: peer.middlewares)
    }

    public func roomIDs(of userID: UUID) async throws -> Set<UUID> {
        let reply = try await unavailableOnError { try await client.getUserRoomIds(path: .init(id: userID.apiString)) }
        guard case .ok(let ok) = reply else { throw Self.unavailable("GET /internal/users/:id/rooms answered \(reply)") }
        return Set(try ok.body.json.roomIds.compactMap(UUID.init(uuidString:)))
    }

    public func access(of userID: UUID, in roomID: UUID) async throws -> RoomAccess? {
        let reply = try await unavailableOnError { try await client.getMemberAccess(path: .init(id: roomID.apiString, userId: userID.apiString)) }
        switch reply {
        case .ok(let ok): return RoomAccess(try ok.body.json)
        case .notFound: return nil
        default: throw Self.unavailable("GET /internal/rooms/:id/members/:userId answered \(reply)")
        }
    }

    public func roster(of roomID: UUID) async throws -> RoomRoster? {
        let reply = try await unavailableOnError { try await client.getRoomMembers(path: .init(id: roomID.apiString)) }
        switch reply {
        case .ok(let ok): return RoomRoster(try ok.body.json)
        case .notFound: return nil
        default: throw Self.unavailable("GET /internal/rooms/:id/members answered \(reply)")
        }
    }

    public func blockers(of userID: UUID) async throws -> Set<UUID> {
        let reply = try await unavailableOnError { try await client.getUserBlockers(path: .init(id: userID.apiString)) }
        guard case .ok(let ok) = reply else { throw Self.unavailable("GET /internal/users/:id/blockers answered \(reply)") }
        return Set(try ok.body.json.userIds.compactMap(UUID.init(uuidString:)))
    }

    private func unavailableOnError<T>(_ call: () async throws -> T) async throws -> T {
        do { return try await call() } catch { throw Self.unavailable("\(error)") }
    }

    private static func unavailable(_ detail: String) -> AppError {
        AppError.serviceUnavailable("rooms", internalDetail: detail)
    }
}

/// A user's standing in a room, as rooms' permission table sees it now. Codable, to be cached.
public struct RoomAccess: Codable, Sendable, Equatable {
    public let roomID: UUID
    /// `public`, `private` or `direct`.
    public let roomType: String
    public let isMember: Bool
    /// `owner`, `admin` or `member`; nil for non-members.
    public let role: String?
    public let muted: Bool
    /// With `muted`, when the mute ends (nil: until unmuted).
    public let mutedUntil: Date?
    public let banned: Bool
    /// A direct room whose members are separated by a block: nobody may post.
    public let blocked: Bool
    /// `all`, `mentions` or `muted`; nil for non-members.
    public let notificationLevel: String?
    /// `RoomAction` raw values (`view`, `post`, `delete_any_message`, ...): strings, so an answer
    /// naming an action this build does not know yet still decodes (`allows(_:)` reads them).
    public let allowedActions: Set<String>

    public init(
        roomID: UUID, roomType: String, isMember: Bool, role: String?, muted: Bool = false, mutedUntil: Date? = nil, banned: Bool = false,
        blocked: Bool = false, notificationLevel: String?, allowedActions: Set<String>
    ) {
        self.roomID = roomID
        self.roomType = roomType
        self.isMember = isMember
        self.role = role
        self.muted = muted
        self.mutedUntil = mutedUntil
        self.banned = banned
        self.blocked = blocked
        self.notificationLevel = notificationLevel
        self.allowedActions = allowedActions
    }

    init(_ access: Components.Schemas.MemberAccess) {
        self.roomID = UUID(uuidString: access.roomId) ?? UUID()
        self.roomType = access.roomType.rawValue
        self.isMember = access.isMember
        self.role = access.role?.rawValue
        self.muted = access.muted
        self.mutedUntil = access.mutedUntil
        self.banned = access.banned
        self.blocked = access.blocked
        self.notificationLevel = access.notificationLevel?.rawValue
        self.allowedActions = Set(access.allowedActions.map(\.rawValue))
    }
}

/// A room's members as rooms lists them for other services: each with role and the notification
/// level in force.
public struct RoomRoster: Sendable, Equatable {
    public struct Member: Sendable, Equatable {
        public let userID: UUID
        /// `owner`, `admin` or `member`.
        public let role: String
        /// `all`, `mentions` or `muted`.
        public let notificationLevel: String

        public init(userID: UUID, role: String, notificationLevel: String) {
            self.userID = userID
            self.role = role
            self.notificationLevel = notificationLevel
        }
    }

    public let roomID: UUID
    /// `public`, `private` or `direct`.
    public let roomType: String
    public let roomName: String
    public let members: [Member]

    public init(roomID: UUID, roomType: String, roomName: String, members: [Member]) {
        self.roomID = roomID
        self.roomType = roomType
        self.roomName = roomName
        self.members = members
    }

    init(_ roster: Components.Schemas.RoomMembers) {
        self.roomID = UUID(uuidString: roster.roomId) ?? UUID()
        self.roomType = roster.roomType.rawValue
        self.roomName = roster.roomName
        self.members = roster.members.compactMap { member in
            UUID(uuidString: member.userId).map {
                Member(userID: $0, role: member.role.rawValue, notificationLevel: member.notificationLevel.rawValue)
            }
        }
    }
}
