import AuthAPI
import Foundation
import Logging
import ServiceKit

/// Registration, login (with 2FA) and the password change: the rules of signing in.
struct Accounts: Sendable {

    let users: UserStore
    let sessions: Sessions
    let keyRing: KeyRing
    let hasher: PasswordHasher
    let secondFactor: SecondFactor
    let stepUp: StepUp
    let throttle: AttemptThrottle
    let registrations: RateLimiter
    let outbox: Outbox
    let clock: WallClock
    let settings: AuthSettings

    struct SignedIn: Sendable {
        let token: String
        let expiresAt: Date
        let user: User
    }

    /// Where a sign-in comes from: the client's address (throttles) and its `User-Agent` (kept
    /// with the session).
    struct Client: Sendable {
        let address: String
        let userAgent: String?
    }

    func register(username: String, password: String, displayName: String?, from client: Client) async throws -> SignedIn {
        let username = try ProfileRules.username(username)
        let password = try ProfileRules.password(password)
        let displayName = try ProfileRules.displayName(displayName ?? username)
        // Counted even when it then fails: each attempt costs a bcrypt hash, and a taken name
        // tells that an account exists.
        try await registrations.acquire("register:\(client.address)", now: clock.now())
        let now = clock.now()
        let user = User(
            id: UUID(), username: username, displayName: displayName, passwordHash: try await hasher.hash(password),
            avatarURL: nil, status: .online, statusMessage: nil, createdAt: now, lastSeenAt: now,
            totpSecret: nil, totpEnabled: false, totpLastStep: 0)
        guard let created = try await users.insert(user) else {
            throw AppError(.conflict, code: "username_taken", message: "username is taken", details: ["field": "username"])
        }
        return try await startSession(for: created, userAgent: client.userAgent)
    }

    /// Every attempt is counted before bcrypt runs, against the account from this address and
    /// against the address across all accounts: guesses from elsewhere never pause the owner.
    /// The attempt that spends the account's budget announces the pause to its owner (once per
    /// window: pauses from other addresses meanwhile are not announced again).
    func login(username: String, password: String, totpCode: String?, from client: Client) async throws -> SignedIn {
        // Before any key or query holds it: a username that cannot exist is refused here.
        let username = try ProfileRules.username(username)
        let accountBudget = "login:\(username.lowercased()):\(client.address)"
        let attempt = try await beginLogin(budgets: [
            .init(accountBudget, maxAttempts: settings.loginMaxFailures, clearedBySuccess: true),
            .init("login-address:\(client.address)", maxAttempts: settings.loginAddressMaxFailures, clearedBySuccess: false),
        ])
        let user = try await users.find(username: username)
        switch try await check(password: password, totpCode: totpCode, of: user) {
        case .success(let user):
            try await throttle.succeeded(attempt)
            return try await startSession(for: user, userAgent: client.userAgent)
        case .failure(let refusal):
            // Once per account and window, however many addresses guess: the owner is told, not flooded.
            if let user, attempt.exhausts(accountBudget), let lockedUntil = attempt.windowEnd(of: accountBudget, now: clock.now()),
                await throttle.claimNotice("login:\(user.id.apiString)")
            {
                try await announceLock(of: user, from: client.address, until: lockedUntil)
            }
            throw refusal
        }
    }

    /// The user when the password (and with 2FA on, the code) is right; otherwise the refusal.
    private func check(password: String, totpCode: String?, of user: User?) async throws -> Result<User, AppError> {
        guard try await hasher.verify(password, hash: user?.passwordHash), let user else {
            return .failure(.unauthorized("wrong username or password"))
        }
        if user.totpEnabled {
            guard let totpCode, !totpCode.isEmpty else {
                return .failure(.unauthorized("a two-factor code is required", code: "totp_required"))
            }
            guard try await secondFactor.consume(totpCode, of: user) else {
                return .failure(.unauthorized("the two-factor code is wrong or was already used", code: "invalid_totp"))
            }
        }
        return .success(user)
    }

    /// The throttle's 429, saying what is paused and until when.
    private func beginLogin(budgets: [AttemptThrottle.Budget]) async throws -> AttemptThrottle.Attempt {
        do {
            return try await throttle.begin(budgets)
        } catch var error as AppError where error.status == .tooManyRequests {
            let seconds = error.headers[.retryAfter].flatMap(Int.init) ?? settings.loginLockoutSeconds
            let until = Timestamp.format(clock.now().addingTimeInterval(TimeInterval(seconds)))
            error.message = "too many failed sign-in attempts: signing in to this account from your address is paused until \(until)"
            throw error
        }
    }

    struct LoginLockedPayload: Encodable, Sendable {
        let userId: String
        let address: String
        let failedAttempts: Int
        let lockedUntil: Date
    }

    /// `login_locked` on the user's stream, for notify to tell the owner.
    private func announceLock(of user: User, from address: String, until lockedUntil: Date) async throws {
        let payload = LoginLockedPayload(
            userId: user.id.apiString, address: address, failedAttempts: settings.loginMaxFailures, lockedUntil: lockedUntil)
        _ = try await outbox.transaction { tx in
            try await tx.emit(AuthEventType.loginLocked.rawValue, stream: user.id.apiString, data: payload)
        }
    }

    /// A new password, once the current one is given; every other session of the user ends.
    func changePassword(_ identity: Identity, current: String?, new: String) async throws {
        let newPassword = try ProfileRules.password(new, field: "new_password")
        try await stepUp.confirmed(identity.userID, password: current) { user in
            let hash = try await hasher.hash(newPassword)
            try await outbox.transaction { tx in
                try await users.updatePasswordHash(userID: user.id, to: hash, on: tx.connection)
                try await sessions.endOthers(of: identity, on: tx.connection)
            }
        }
    }

    private func startSession(for user: User, userAgent: String?) async throws -> SignedIn {
        // JWT times are whole seconds; `expires_at` in the reply must equal the token's `exp`.
        let now = Date(timeIntervalSince1970: clock.now().timeIntervalSince1970.rounded(.down))
        let sessionID = UUID()
        let expiresAt = now.addingTimeInterval(settings.tokenLifetime)
        try await sessions.store.create(id: sessionID, userID: user.id, createdAt: now, expiresAt: expiresAt, userAgent: userAgent)
        try await users.touchLastSeen(id: user.id, at: now)
        let claims = TokenClaims(
            userID: user.id, sessionID: sessionID, issuedAt: now, expiresAt: expiresAt,
            issuer: settings.issuer, audience: settings.audience)
        var user = user
        user.lastSeenAt = now
        return SignedIn(token: try await keyRing.sign(claims), expiresAt: expiresAt, user: user)
    }
}
