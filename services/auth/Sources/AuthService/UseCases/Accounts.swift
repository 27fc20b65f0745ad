import Foundation
import Logging
import ServiceKit

/// Registration, login (with 2FA), logout and sessions: the rules of signing in.
struct Accounts: Sendable {
    let users: UserStore
    let sessions: SessionStore
    let revocations: SessionRevocations
    let keyRing: KeyRing
    let hasher: PasswordHasher
    let throttle: AttemptThrottle
    let clock: WallClock
    let settings: AuthSettings

    struct SignedIn: Sendable {
        let token: String
        let expiresAt: Date
        let user: User
    }

    func register(username: String, password: String, displayName: String?) async throws -> SignedIn {
        let username = try ProfileRules.username(username)
        let password = try ProfileRules.password(password)
        let displayName = try ProfileRules.displayName(displayName ?? username)
        let now = clock.now()
        let user = User(
            id: UUID(), username: username, displayName: displayName, passwordHash: try await hasher.hash(password),
            avatarURL: nil, status: .online, statusMessage: nil, createdAt: now, lastSeenAt: now,
            totpSecret: nil, totpEnabled: false, totpLastStep: 0)
        guard let created = try await users.insert(user) else {
            throw AppError(.conflict, code: "username_taken", message: "username is taken", details: ["field": "username"])
        }
        return try await startSession(for: created)
    }

    func login(username: String, password: String, totpCode: String?, from address: String) async throws -> SignedIn {
        let username = try ProfileRules.username(username)
        let attempt = try await throttle.begin([
            .init("login:\(username.lowercased()):\(address)", maxAttempts: settings.loginMaxFailures, clearedBySuccess: true),
        ])
        let user = try await users.find(username: username)
        guard try await hasher.verify(password, hash: user?.passwordHash), let user else {
            throw AppError.unauthorized("wrong username or password")
        }
        if user.totpEnabled {
            guard let totpCode, !totpCode.isEmpty else {
                throw AppError.unauthorized("a two-factor code is required", code: "totp_required")
            }
            guard try await consumeSecondFactor(totpCode, of: user) else {
                throw AppError.unauthorized("the two-factor code is wrong or was already used", code: "invalid_totp")
            }
        }
        try await throttle.succeeded(attempt)
        return try await startSession(for: user)
    }

    func logout(_ identity: Identity) async throws {
        let now = clock.now()
        guard let expiresAt = try await sessions.revoke(id: identity.sessionID, at: now) else { return }
        try await revocations.revoke(sessionID: identity.sessionID, until: expiresAt, now: now)
    }

    /// Puts every revocation that still matters back into Redis (run at startup).
    func republishRevocations() async throws {
        let now = clock.now()
        for session in try await sessions.revokedUnexpired(now: now) {
            try await revocations.revoke(sessionID: session.id, until: session.expiresAt, now: now)
        }
    }

    /// A TOTP code (single use, ±1 step) or an unused recovery code.
    func consumeSecondFactor(_ code: String, of user: User) async throws -> Bool {
        let trimmed = code.trimmingCharacters(in: .whitespaces)
        if let secret = user.totpSecret,
            let step = TOTPVerifier.matchingStep(code: trimmed, secret: secret, at: clock.now(), lastUsedStep: user.totpLastStep)
        {
            return try await users.consumeTOTPStep(userID: user.id, step: step)
        }
        guard RecoveryCodes.looksLikeRecoveryCode(trimmed) else { return false }
        return try await users.consumeRecoveryCode(userID: user.id, hash: RecoveryCodes.hash(trimmed))
    }

    private func startSession(for user: User) async throws -> SignedIn {
        // JWT times are whole seconds; `expires_at` in the reply must equal the token's `exp`.
        let now = Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down))
        let sessionID = UUID()
        let expiresAt = now.addingTimeInterval(settings.tokenLifetime)
        try await sessions.create(id: sessionID, userID: user.id, createdAt: now, expiresAt: expiresAt)
        try await users.touchLastSeen(id: user.id, at: now)
        let claims = TokenClaims(
            userID: user.id, sessionID: sessionID, issuedAt: now, expiresAt: expiresAt,
            issuer: settings.issuer, audience: settings.audience)
        var user = user
        user.lastSeenAt = now
        return SignedIn(token: try await keyRing.sign(claims), expiresAt: expiresAt, user: user)
    }
}
