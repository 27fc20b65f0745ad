import Foundation
import ServiceKit

/// Public user objects from auth, for services that embed users in their replies and events
/// (only auth owns profiles). `HTTPUserDirectory` asks the auth service; a service's tests run
/// alone with a stand-in.
public protocol UserDirectory: Sendable {
    /// The users among `ids` that exist, by id.
    func users(_ ids: [UUID]) async throws -> [UUID: UserSummary]
    /// The users among `usernames` that exist (ignoring case), by lowercased username.
    func users(named usernames: [String]) async throws -> [String: UserSummary]
}

extension UserDirectory {
    public func user(_ id: UUID) async throws -> UserSummary? {
        try await users([id])[id]
    }

    /// The user, or 404 when auth does not know them.
    public func existingUser(_ id: UUID) async throws -> UserSummary {
        guard let user = try await user(id) else { throw AppError.notFound("user not found") }
        return user
    }
}

/// The auth service's internal lookup, through its generated client with the service credential.
/// Auth unreachable is 503.
public struct HTTPUserDirectory: UserDirectory {
    let client: Client

    /// `peer` carries the service credential.
    public init(peer: PeerConnection) {
        self.client = Client(serverURL: peer.url, configuration: peer.configuration, transport: peer.transport, middlewares: peer.middlewares)
    }

    public func users(_ ids: [UUID]) async throws -> [UUID: UserSummary] {
        guard !ids.isEmpty else { return [:] }
        let found = try await lookup(.init(ids: Array(Set(ids)).map(\.apiString)))
        return Dictionary(found.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    public func users(named usernames: [String]) async throws -> [String: UserSummary] {
        guard !usernames.isEmpty else { return [:] }
        let found = try await lookup(.init(usernames: Array(Set(usernames.map { $0.lowercased() }))))
        return Dictionary(found.map { ($0.username.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
    }

    private func lookup(_ body: Components.Schemas.UserLookup) async throws -> [UserSummary] {
        let reply: Operations.LookupUsers.Output
        do {
            reply = try await client.lookupUsers(body: .json(body))
        } catch {
            throw AppError.serviceUnavailable("auth", internalDetail: "user lookup failed: \(error)")
        }
        guard case .ok(let ok) = reply else { throw AppError.serviceUnavailable("auth", internalDetail: "user lookup answered \(reply)") }
        return try ok.body.json.users.compactMap(UserSummary.init)
    }
}

/// A public user object as API.md shapes it (every key present, absent values as null).
public struct UserSummary: Codable, Sendable, Equatable {
    public let id: UUID
    public let username: String
    public let displayName: String
    public let avatarUrl: String?
    public let status: String
    public let statusMessage: String?
    public let createdAt: Date
    public let lastSeenAt: Date

    public init(
        id: UUID, username: String, displayName: String, avatarUrl: String?, status: String, statusMessage: String?, createdAt: Date,
        lastSeenAt: Date
    ) {
        self.id = id
        self.username = username
        self.displayName = displayName
        self.avatarUrl = avatarUrl
        self.status = status
        self.statusMessage = statusMessage
        self.createdAt = createdAt
        self.lastSeenAt = lastSeenAt
    }

    init?(_ user: Components.Schemas.User) {
        guard let id = UUID(uuidString: user.id) else { return nil }
        self.id = id
        self.username = user.username
        self.displayName = user.displayName
        self.avatarUrl = user.avatarUrl
        self.status = user.status.rawValue
        self.statusMessage = user.statusMessage
        self.createdAt = user.createdAt
        self.lastSeenAt = user.lastSeenAt
    }

    enum CodingKeys: String, CodingKey {
        case id, username, displayName, avatarUrl, status, statusMessage, createdAt, lastSeenAt
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.apiString, forKey: .id)
        try container.encode(username, forKey: .username)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(avatarUrl, forKey: .avatarUrl)
        try container.encode(status, forKey: .status)
        try container.encode(statusMessage, forKey: .statusMessage)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastSeenAt, forKey: .lastSeenAt)
    }
}
