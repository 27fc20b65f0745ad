import AsyncHTTPClient
import AuthAPI
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import ServiceKit

/// Public user objects from auth (rooms owns no profiles), through auth's generated client.
struct UserDirectory: Sendable {
    let client: Client

    init(authURL: String, httpClient: HTTPClient, serviceToken: String) throws {
        guard let url = URL(string: authURL) else { throw AppError.internal("AUTH_URL is not a URL: \(authURL)") }
        self.client = Client(
            serverURL: url,
            configuration: .init(dateTranscoder: .iso8601WithFractionalSeconds),
            transport: AsyncHTTPClientTransport(configuration: .init(client: httpClient, timeout: .seconds(5))),
            middlewares: [BearerTokenMiddleware(token: serviceToken)])
    }

    /// The users among `ids` that exist, by id. Auth unreachable is 503.
    func users(_ ids: [UUID]) async throws -> [UUID: UserSummary] {
        guard !ids.isEmpty else { return [:] }
        let reply: Operations.LookupUsers.Output
        do {
            reply = try await client.lookupUsers(body: .json(.init(ids: Array(Set(ids)).map { $0.uuidString.lowercased() })))
        } catch {
            throw AppError.serviceUnavailable("auth", internalDetail: "user lookup failed: \(error)")
        }
        guard case .ok(let ok) = reply else { throw AppError.serviceUnavailable("auth", internalDetail: "user lookup answered \(reply)") }
        let users = try ok.body.json.users.compactMap(UserSummary.init)
        return Dictionary(users.map { ($0.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    func user(_ id: UUID) async throws -> UserSummary? {
        try await users([id])[id]
    }

    /// The user, or 404 when auth does not know them.
    func existingUser(_ id: UUID) async throws -> UserSummary {
        guard let user = try await user(id) else { throw AppError.notFound("user not found") }
        return user
    }
}

/// A public user object as API.md shapes it (every key present, absent values as null).
struct UserSummary: Codable, Sendable, Equatable {
    let id: UUID
    let username: String
    let displayName: String
    let avatarUrl: String?
    let status: String
    let statusMessage: String?
    let createdAt: Date
    let lastSeenAt: Date

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

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.uuidString.lowercased(), forKey: .id)
        try container.encode(username, forKey: .username)
        try container.encode(displayName, forKey: .displayName)
        try container.encode(avatarUrl, forKey: .avatarUrl)
        try container.encode(status, forKey: .status)
        try container.encode(statusMessage, forKey: .statusMessage)
        try container.encode(createdAt, forKey: .createdAt)
        try container.encode(lastSeenAt, forKey: .lastSeenAt)
    }
}
