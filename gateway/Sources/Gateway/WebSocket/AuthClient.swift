import AsyncHTTPClient
import AuthAPI
import Foundation
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import ServiceKit

/// What the gateway asks of auth itself, through auth's generated client: the caller's own user
/// object, for the `ready` frame.
struct AuthClient: Sendable {
    let httpClient: HTTPClient
    let baseURL: String

    func currentUser(token: String) async throws -> JSONValue {
        guard let url = URL(string: baseURL) else { throw AppError.internal("AUTH_URL is not a URL: \(baseURL)") }
        let client = Client(
            serverURL: url,
            configuration: .init(dateTranscoder: .iso8601WithFractionalSeconds),
            transport: AsyncHTTPClientTransport(configuration: .init(client: httpClient, timeout: .seconds(5))),
            middlewares: [BearerTokenMiddleware(token: token)])
        switch try await client.getMe() {
        case .ok(let reply):
            return Self.frameJSON(try reply.body.json)
        default:
            throw AppError.serviceUnavailable("auth", internalDetail: "GET /auth/me did not answer 200")
        }
    }

    /// The user as API.md shapes it, every key present (absent values as null).
    static func frameJSON(_ user: Components.Schemas.CurrentUser) -> JSONValue {
        let profile = user.value1
        return .object([
            "id": .string(profile.id),
            "username": .string(profile.username),
            "display_name": .string(profile.displayName),
            "avatar_url": profile.avatarUrl.map(JSONValue.string) ?? .null,
            "status": .string(profile.status.rawValue),
            "status_message": profile.statusMessage.map(JSONValue.string) ?? .null,
            "created_at": .string(Timestamp.format(profile.createdAt)),
            "last_seen_at": .string(Timestamp.format(profile.lastSeenAt)),
            "totp_enabled": .bool(user.value2.totpEnabled),
        ])
    }
}
