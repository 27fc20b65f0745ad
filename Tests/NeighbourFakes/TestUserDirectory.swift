import AuthAPI
import Foundation
import ServiceKit
import Synchronization
import TestSupport

/// Auth's user directory, for a service tested without auth: the users a test signed up here.
public final class TestUserDirectory: UserDirectory {
    private let known = Mutex<[UUID: UserSummary]>([:])

    public init() {}

    /// A new user, known from now on.
    @discardableResult
    public func add(username: String, now: Date = Date()) -> UserSummary {
        let user = UserSummary(
            id: UUID(), username: username, displayName: username, avatarUrl: nil, status: "online", statusMessage: nil,
            createdAt: now, lastSeenAt: now)
        known.withLock { $0[user.id] = user }
        return user
    }

    /// The user's profile changed, as auth changes it (a new display name, a chosen status); the
    /// user as they are now.
    @discardableResult
    public func update(_ id: UUID, displayName: String? = nil, status: String? = nil) throws -> UserSummary {
        try known.withLock { known in
            guard let user = known[id] else { throw TestFailure("\(id) is not a user") }
            let updated = UserSummary(
                id: id, username: user.username, displayName: displayName ?? user.displayName, avatarUrl: user.avatarUrl,
                status: status ?? user.status, statusMessage: user.statusMessage, createdAt: user.createdAt, lastSeenAt: user.lastSeenAt)
            known[id] = updated
            return updated
        }
    }

    public func users(_ ids: [UUID]) async throws -> [UUID: UserSummary] {
        known.withLock { known in known.filter { ids.contains($0.key) } }
    }

    public func users(named usernames: [String]) async throws -> [String: UserSummary] {
        let wanted = Set(usernames.map { $0.lowercased() })
        return known.withLock { known in
            Dictionary(known.values.filter { wanted.contains($0.username.lowercased()) }.map { ($0.username.lowercased(), $0) }) { first, _ in first }
        }
    }
}

extension TestUserDirectory {
    /// A new user (`prefix` and random characters for a username), known here from now on, with
    /// a token `tokens` signs for them: what signing up with auth gives a test.
    public func signUp(prefix: String, tokens: TestTokens) async throws -> TestUser {
        let user = add(username: prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())
        return (try await tokens.token(for: user.id, now: Date()), user.id.apiString, user.username)
    }
}

/// Auth's `GET /auth/me`, for the gateway tested without auth: the user the token names (whose
/// signature the gateway checked before asking), as auth's reply has them.
extension TestUserDirectory: CurrentUserLookup {
    public func currentUser(token: String) async throws -> JSONValue {
        guard let subject = (TokenPayload.claims(of: token)["sub"] as? String).flatMap(UUID.init(uuidString:)), let user = try await self.user(subject)
        else { throw AppError.unauthorized("no such user") }
        return .object([
            "id": .string(user.id.apiString), "username": .string(user.username), "display_name": .string(user.displayName),
            "avatar_url": user.avatarUrl.map(JSONValue.string) ?? .null, "status": .string(user.status),
            "status_message": user.statusMessage.map(JSONValue.string) ?? .null, "created_at": .string(Timestamp.format(user.createdAt)),
            "last_seen_at": .string(Timestamp.format(user.lastSeenAt)), "totp_enabled": .bool(false),
        ])
    }
}
