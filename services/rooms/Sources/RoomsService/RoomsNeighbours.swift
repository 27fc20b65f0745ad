import AuthAPI
import ServiceKit

/// Whom rooms depends on: auth, for the keys that sign callers' tokens and for users' public
/// profiles. The executable reaches it over HTTP (`overHTTP`); rooms' own tests stand in for it.
public struct RoomsNeighbours: Sendable {
    public var tokenKeys: any PublicKeyProvider
    public var users: any UserDirectory

    public init(tokenKeys: any PublicKeyProvider, users: any UserDirectory) {
        self.tokenKeys = tokenKeys
        self.users = users
    }

    /// Auth at `AUTH_URL`.
    static func overHTTP(_ backbone: ServiceBackbone, config: ServiceConfig) throws -> Self {
        Self(tokenKeys: backbone.tokenKeys, users: HTTPUserDirectory(peer: try backbone.peer("auth", at: config.authURL)))
    }
}
