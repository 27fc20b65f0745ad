import Foundation
import ServiceKit

/// The signed-in user as `GET /auth/me` answers the holder of a token: API.md's user object with
/// `totp_enabled`, every key present (absent values as null). The gateway's `ready` frame carries
/// it; `HTTPCurrentUserLookup` asks auth, the gateway's own tests stand in for it.
public protocol CurrentUserLookup: Sendable {
    func currentUser(token: String) async throws -> JSONValue
}

/// Auth's `GET /auth/me` through its generated client, with the caller's own token (`connect`
/// makes the connection for one). Auth unreachable or refusing is 503.
public struct HTTPCurrentUserLookup: CurrentUserLookup {
    let connect: @Sendable (_ token: String) throws -> PeerConnection

    public init(connect: @escaping @Sendable (_ token: String) throws -> PeerConnection) {
        self.connect = connect
    }

    public func currentUser(token: String) async throws -> JSONValue {
        let peer = try connect(token)
        let client = Client(serverURL: peer.url, configuration: peer.configuration, transport: peer.transport, middlewares: peer.middlewares)
        switch try await client.getMe() {
        case .ok(let reply):
            return Self.json(try reply.body.json)
        default:
            throw AppError.serviceUnavailable("auth", internalDetail: "GET /auth/me did not answer 200")
        }
    }

    static func json(_ user: Components.Schemas.CurrentUser) -> JSONValue {
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
