import AsyncHTTPClient
import AuthAPI
import Logging
import RoomsAPI
import ServiceKit
import Tracing

/// Whom the gateway asks itself, beyond the services it passes requests to: auth (the keys that
/// sign tokens, and the user a socket's `ready` frame carries) and rooms (the rooms a socket
/// follows). The executable reaches them over HTTP (`overHTTP`); the gateway's own tests stand in
/// for them, and for the services behind the proxy with a server of their own.
public struct GatewayNeighbours: Sendable {
    public var tokenKeys: any PublicKeyProvider
    public var currentUsers: any CurrentUserLookup
    public var rooms: any RoomDirectory

    public init(tokenKeys: any PublicKeyProvider, currentUsers: any CurrentUserLookup, rooms: any RoomDirectory) {
        self.tokenKeys = tokenKeys
        self.currentUsers = currentUsers
        self.rooms = rooms
    }

    /// Auth at `AUTH_URL`, rooms at its first instance (`ROOMS_URL`).
    static func overHTTP(settings: GatewaySettings, httpClient: HTTPClient, clock: WallClock, tracer: any Tracer, logger: Logger) throws -> Self {
        let config = settings.service
        return Self(
            tokenKeys: JWKSCache(authURL: config.authURL, httpClient: httpClient, clock: clock, logger: logger),
            currentUsers: HTTPCurrentUserLookup { token in
                try PeerConnection(name: "auth", baseURL: config.authURL, httpClient: httpClient, token: token, tracer: tracer)
            },
            rooms: HTTPRoomDirectory(peer: try PeerConnection(
                name: "rooms", baseURL: settings.upstreams["rooms"]?.first ?? "", httpClient: httpClient, token: config.serviceToken,
                tracer: tracer)))
    }
}
