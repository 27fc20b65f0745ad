import AsyncHTTPClient
import AuthAPI
import Foundation
import ServiceKit
import Tracing

/// What the gateway asks of auth itself, through auth's generated client: the caller's own user
/// object, for the `ready` frame.
struct AuthClient: Sendable {
    let httpClient: HTTPClient
    let baseURL: String
    let tracer: any Tracer

    func currentUser(token: String) async throws -> JSONValue {
        let peer = try PeerConnection(name: "auth", baseURL: baseURL, httpClient: httpClient, token: token, tracer: tracer)
        let client = Client(serverURL: peer.url, configuration: peer.configuration, transport: peer.transport, middlewares: peer.middlewares)
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
