import AuthAPI
import Foundation
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
