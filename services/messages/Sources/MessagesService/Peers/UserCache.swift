import AuthAPI
import Foundation
import ServiceKit

/// User objects from auth, cached in Redis for `ttlSeconds` (a renamed user shows under the new
/// name within that time), since every page of messages embeds its senders.
struct UserCache: Sendable {
    let redis: RedisClient
    let ttlSeconds: Int
    let directory: any UserDirectory

    static func key(_ id: UUID) -> String { "messages:user:\(id.apiString)" }

    func users(_ ids: [UUID]) async throws -> [UUID: UserSummary] {
        let unique = Array(Set(ids))
        guard !unique.isEmpty else { return [:] }
        var found: [UUID: UserSummary] = [:]
        let cached = try await redis.values(of: unique.map(Self.key))
        let decoder = JSONDecoder()
        for (id, value) in zip(unique, cached) {
            if let json = value, let user = try? decoder.decode(UserSummary.self, from: Data(json.utf8)) { found[id] = user }
        }
        let missing = unique.filter { found[$0] == nil }
        guard !missing.isEmpty else { return found }
        let fetched = try await directory.users(missing)
        let encoder = JSONEncoder()
        var commands: [[String]] = []
        for (id, user) in fetched {
            found[id] = user
            commands.append(["SET", Self.key(id), String(decoding: try encoder.encode(user), as: UTF8.self), "EX", String(ttlSeconds)])
        }
        if !commands.isEmpty { _ = try await redis.pipeline(commands) }
        return found
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
