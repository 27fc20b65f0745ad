import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Users, their TOTP state and recovery codes in auth's schema. TOTP secrets are stored sealed
/// (`SecretSealer`, bound to the user's row) and opened as they are read.
struct UserStore: Sendable {
    let client: PostgresClient
    let sealer: SecretSealer
    let logger: Logger

    private static let columns = """
        id, username, display_name, password_hash, avatar_url, status, status_message, created_at, \
        last_seen_at, totp_secret, totp_enabled, totp_last_step
        """

    /// Inserts a new user; nil when the username is taken (case-insensitively).
    func insert(_ user: User) async throws -> User? {
        let rows = try await client.query(
            """
            INSERT INTO users (id, username, username_key, display_name, password_hash, status, created_at, last_seen_at)
            VALUES (\(user.id), \(user.username), \(user.username.lowercased()), \(user.displayName), \(user.passwordHash),
                    \(user.status.rawValue), \(user.createdAt), \(user.lastSeenAt))
            ON CONFLICT (username_key) DO NOTHING
            RETURNING id
            """, logger: logger)
        for try await _ in rows { return user }
        return nil
    }

    func find(id: UUID) async throws -> User? {
        try await first(client.query("SELECT \(unescaped: Self.columns) FROM users WHERE id = \(id)", logger: logger))
    }

    func find(username: String) async throws -> User? {
        try await first(client.query("SELECT \(unescaped: Self.columns) FROM users WHERE username_key = \(username.lowercased())", logger: logger))
    }

    func find(ids: [UUID], usernames: [String] = []) async throws -> [User] {
        let keys = usernames.map { $0.lowercased() }
        return try await all(client.query(
            "SELECT \(unescaped: Self.columns) FROM users WHERE id = ANY(\(ids)) OR username_key = ANY(\(keys))", logger: logger))
    }

    /// Users whose username or display name starts with `prefix`, by username, after `afterKey`.
    func search(prefix: String, afterKey: String?, limit: Int) async throws -> [User] {
        let pattern = prefix.lowercased().likeEscaped + "%"
        let rows = try await client.query(
            """
            SELECT \(unescaped: Self.columns) FROM users
            WHERE (username_key LIKE \(pattern) OR lower(display_name) LIKE \(pattern))
              AND username_key > \(afterKey ?? "")
            ORDER BY username_key LIMIT \(limit)
            """, logger: logger)
        return try await all(rows)
    }

    func update(id: UUID, change: ProfileChange, on db: some PostgresQueryable) async throws -> User? {
        let (setAvatar, avatar) = Self.columnUpdate(change.avatarURL)
        let (setMessage, message) = Self.columnUpdate(change.statusMessage)
        return try await first(db.run(
            """
            UPDATE users SET
              display_name = COALESCE(\(change.displayName), display_name),
              avatar_url = CASE WHEN \(setAvatar) THEN \(avatar) ELSE avatar_url END,
              status = COALESCE(\(change.status?.rawValue), status),
              status_message = CASE WHEN \(setMessage) THEN \(message) ELSE status_message END
            WHERE id = \(id)
            RETURNING \(unescaped: Self.columns)
            """, logger: logger))
    }

    func touchLastSeen(id: UUID, at date: Date) async throws {
        try await client.query("UPDATE users SET last_seen_at = \(date) WHERE id = \(id)", logger: logger)
    }

    func updatePasswordHash(userID: UUID, to hash: String, on db: some PostgresQueryable) async throws {
        try await db.run("UPDATE users SET password_hash = \(hash) WHERE id = \(userID)", logger: logger)
    }

    /// Starts (or restarts) 2FA setup; a no-op once 2FA is enabled.
    func setPendingTOTPSecret(userID: UUID, secret: String) async throws -> Bool {
        let sealed = try sealer.seal(secret, for: Self.totpSecretRow(userID))
        return try await updated(client.query(
            "UPDATE users SET totp_secret = \(sealed) WHERE id = \(userID) AND NOT totp_enabled RETURNING id", logger: logger))
    }

    /// Enables 2FA, records the step of the code that proved it, and stores the recovery codes.
    func enableTOTP(userID: UUID, step: Int64, recoveryCodeHashes: [String], on connection: PostgresConnection) async throws -> Bool {
        let rows = try await connection.query(
            """
            UPDATE users SET totp_enabled = true, totp_last_step = \(step)
            WHERE id = \(userID) AND NOT totp_enabled AND totp_secret IS NOT NULL AND totp_last_step < \(step)
            RETURNING id
            """, logger: logger)
        guard try await Self.hasRow(rows) else { return false }
        try await replaceRecoveryCodes(userID: userID, hashes: recoveryCodeHashes, on: connection)
        return true
    }

    /// The user's recovery codes become `hashes`: the old ones stop working.
    func replaceRecoveryCodes(userID: UUID, hashes: [String], on connection: PostgresConnection) async throws {
        try await connection.query("DELETE FROM recovery_codes WHERE user_id = \(userID)", logger: logger)
        try await connection.query(
            "INSERT INTO recovery_codes (user_id, code_hash) SELECT \(userID), unnest(\(hashes)::text[])", logger: logger)
    }

    func disableTOTP(userID: UUID) async throws {
        try await client.withTransaction(logger: logger) { connection in
            try await connection.query(
                "UPDATE users SET totp_enabled = false, totp_secret = NULL WHERE id = \(userID)", logger: logger)
            try await connection.query("DELETE FROM recovery_codes WHERE user_id = \(userID)", logger: logger)
        }
    }

    /// Marks a TOTP step used; false when that step (or a later one) was already used, so two
    /// concurrent logins with one code cannot both pass.
    func consumeTOTPStep(userID: UUID, step: Int64) async throws -> Bool {
        try await updated(client.query(
            "UPDATE users SET totp_last_step = \(step) WHERE id = \(userID) AND totp_last_step < \(step) RETURNING id",
            logger: logger))
    }

    /// Uses up a recovery code; false when it does not exist or was used.
    func consumeRecoveryCode(userID: UUID, hash: String) async throws -> Bool {
        try await updated(client.query(
            """
            UPDATE recovery_codes SET used_at = now()
            WHERE user_id = \(userID) AND code_hash = \(hash) AND used_at IS NULL RETURNING user_id
            """, logger: logger))
    }

    // MARK: sealing

    /// What a TOTP secret's seal is bound to: its column and user.
    static func totpSecretRow(_ userID: UUID) -> String {
        "users.totp_secret:\(userID.apiString)"
    }

    /// Up to `limit` stored TOTP secrets, as stored, of users after `afterID` (by id) that are not
    /// sealed under the current key.
    func totpSecretsToReseal(after afterID: UUID?, limit: Int) async throws -> [(userID: UUID, stored: String)] {
        let rows = try await client.query(
            """
            SELECT id, totp_secret FROM users
            WHERE totp_secret IS NOT NULL AND NOT starts_with(totp_secret, \(sealer.currentPrefix))
              AND (\(afterID == nil) OR id > \(afterID))
            ORDER BY id LIMIT \(limit)
            """, logger: logger)
        var found: [(userID: UUID, stored: String)] = []
        for try await (id, stored) in rows.decode((UUID, String).self) { found.append((id, stored)) }
        return found
    }

    /// Replaces a stored TOTP secret unless it changed meanwhile (a new setup, another instance).
    func replaceStoredTOTPSecret(userID: UUID, from old: String, to new: String) async throws {
        try await client.query(
            "UPDATE users SET totp_secret = \(new) WHERE id = \(userID) AND totp_secret = \(old)", logger: logger)
    }

    // MARK: rows

    private static func columnUpdate(_ update: FieldUpdate<String>) -> (Bool, String?) {
        switch update {
        case .unchanged: return (false, nil)
        case .set(let value): return (true, value)
        case .clear: return (true, nil)
        }
    }

    private static func hasRow(_ rows: PostgresRowSequence) async throws -> Bool {
        for try await _ in rows { return true }
        return false
    }

    private func updated(_ rows: PostgresRowSequence) async throws -> Bool {
        try await Self.hasRow(rows)
    }

    private func first(_ rows: PostgresRowSequence) async throws -> User? {
        try await all(rows).first
    }

    private func all(_ rows: PostgresRowSequence) async throws -> [User] {
        var users: [User] = []
        for try await row in rows.decode(
            (UUID, String, String, String, String?, String, String?, Date, Date, String?, Bool, Int64).self)
        {
            let totpSecret: String?
            do {
                totpSecret = try row.9.map { try sealer.open($0, for: Self.totpSecretRow(row.0)) }
            } catch {
                throw AppError.internal("the TOTP secret of user \(row.0.apiString) does not open: \(error)")
            }
            users.append(User(
                id: row.0, username: row.1, displayName: row.2, passwordHash: row.3, avatarURL: row.4,
                status: UserStatus(rawValue: row.5) ?? .offline, statusMessage: row.6, createdAt: row.7,
                lastSeenAt: row.8, totpSecret: totpSecret, totpEnabled: row.10, totpLastStep: row.11))
        }
        return users
    }
}
