import Foundation
import ServiceKit

/// A user's login sessions: listing them and ending them. Ending one records it in Postgres,
/// then in Redis (`SessionRevocations`, which also tells the gateways to close its sockets).
/// Ending is idempotent, so when the Redis write failed (503) the client simply asks again.
struct Sessions: Sendable {
    let store: SessionStore
    let revocations: SessionRevocations
    let activity: SessionActivity
    let clock: WallClock

    struct Listed: Sendable {
        let session: StoredSession
        /// The newer of the session's start and its last use seen by any service.
        let lastUsedAt: Date
        let current: Bool
    }

    /// At most this many sessions are listed (the current one always among them): logging in
    /// costs nothing, so one user can hold any number.
    static let listLimit = 100

    /// The caller's live sessions, newest first.
    func list(for identity: Identity) async throws -> [Listed] {
        let sessions = try await store.live(of: identity.userID, current: identity.sessionID, now: clock.now(), limit: Self.listLimit)
        let used: [UUID: Date]
        do {
            used = try await activity.lastUsed(sessions.map(\.id))
        } catch {
            throw AppError.serviceUnavailable("session store", internalDetail: "\(error)")
        }
        return sessions.map { session in
            Listed(
                session: session, lastUsedAt: max(session.createdAt, used[session.id] ?? session.createdAt),
                current: session.id == identity.sessionID)
        }
    }

    /// Ends one of the caller's sessions (the current one too: that is a logout); 404 for a
    /// session that is not theirs or has expired.
    func end(_ sessionID: UUID, of identity: Identity) async throws {
        let now = clock.now()
        guard let expiresAt = try await store.revoke(id: sessionID, of: identity.userID, at: now) else { throw AppError.notFound("session not found") }
        try await publish([(sessionID, expiresAt)], now: now)
    }

    /// Ends every session of the caller but the current one.
    func endOthers(of identity: Identity) async throws {
        try await endOthers(of: identity, on: store.client)
    }

    /// Ends every session of the caller but the current one as part of a change (`db` is its
    /// transaction's connection). Redis is written before that commits: when Redis fails,
    /// nothing changed and the client may simply try again.
    func endOthers(of identity: Identity, on db: some PostgresQueryable) async throws {
        let now = clock.now()
        try await publish(try await store.revokeAll(of: identity.userID, except: identity.sessionID, at: now, on: db), now: now)
    }

    /// Writes revocations Postgres holds to Redis; 503 when Redis did not take them all.
    private func publish(_ revoked: [(id: UUID, expiresAt: Date)], now: Date) async throws {
        do {
            try await revocations.revoke(revoked, now: now)
        } catch {
            throw AppError.serviceUnavailable("session store", internalDetail: "\(error)")
        }
    }

    /// Puts every revocation that still matters back into Redis (run at startup).
    func republishRevocations() async throws {
        let now = clock.now()
        let revoked = try await store.revokedUnexpired(now: now)
        for start in stride(from: 0, to: revoked.count, by: 1000) {
            try await revocations.revoke(Array(revoked[start..<min(start + 1000, revoked.count)]), now: now)
        }
    }
}
