import Foundation
import Synchronization

/// When each login session was last used, for the owner's list of sessions (`GET /auth/sessions`),
/// without a write per request: every service's `TokenVerifier` marks the session of a verified
/// token in Redis (`auth:session-used:<sid>`, the time in milliseconds, expiring with the token),
/// at most once per `interval` per session in each process. The mark is written in the background
/// and a failure is ignored: it only leaves `last_used_at` a little older.
public final class SessionActivity: Sendable {
    /// How often one process marks one session at most: `last_used_at` is this precise.
    public static let interval: TimeInterval = 60
    /// Sessions remembered per process before those marked longer than `interval` ago are forgotten.
    static let remembered = 10_000

    let redis: RedisClient
    private let marked = Mutex<[UUID: Date]>([:])

    public init(redis: RedisClient) {
        self.redis = redis
    }

    /// Notes that `identity`'s session was used at `now` (written unless this process did so less
    /// than `interval` ago).
    func markUsed(_ identity: Identity, now: Date) {
        guard isDue(identity.sessionID, now: now) else { return }
        let seconds = max(1, Int(identity.expiresAt.timeIntervalSince(now).rounded(.up)))
        let command = ["SET", Self.key(identity.sessionID), String(Int64(now.timeIntervalSince1970 * 1000)), "EX", String(seconds)]
        Task { [redis] in _ = try? await redis.send(command) }
    }

    /// Whether the session's mark is due, recording it as made.
    func isDue(_ sessionID: UUID, now: Date) -> Bool {
        marked.withLock { marked in
            if let last = marked[sessionID], now.timeIntervalSince(last) < Self.interval, now >= last { return false }
            if marked.count >= Self.remembered {
                marked = marked.filter { now.timeIntervalSince($0.value) < Self.interval }
                // All recent: forget them all rather than filter again on every call (each then
                // costs at most one more mark).
                if marked.count >= Self.remembered { marked.removeAll(keepingCapacity: true) }
            }
            marked[sessionID] = now
            return true
        }
    }

    /// The last recorded use of each of `sessionIDs` that has one, in one round trip.
    public func lastUsed(_ sessionIDs: [UUID]) async throws -> [UUID: Date] {
        guard !sessionIDs.isEmpty else { return [:] }
        let values = try await redis.values(of: sessionIDs.map(Self.key))
        var found: [UUID: Date] = [:]
        for (id, value) in zip(sessionIDs, values) {
            guard let millis = value.flatMap(Int64.init) else { continue }
            found[id] = Date(timeIntervalSince1970: TimeInterval(millis) / 1000)
        }
        return found
    }

    static func key(_ sessionID: UUID) -> String {
        "auth:session-used:\(sessionID.apiString)"
    }
}
