import Foundation
import Hummingbird
import ServiceKit

/// The public user object of API.md; `totp_enabled` only in `GET /auth/me`.
struct UserResponse: ResponseEncodable, Sendable {
    let user: User
    let includePrivateFields: Bool

    enum CodingKeys: String, CodingKey {
        case id, username, displayName, avatarUrl, status, statusMessage, createdAt, lastSeenAt, totpEnabled
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(user.id.uuidString.lowercased(), forKey: .id)
        try container.encode(user.username, forKey: .username)
        try container.encode(user.displayName, forKey: .displayName)
        // Absent values are sent as null: clients can rely on every key being there.
        try container.encode(user.avatarURL, forKey: .avatarUrl)
        try container.encode(user.status, forKey: .status)
        try container.encode(user.statusMessage, forKey: .statusMessage)
        try container.encode(user.createdAt, forKey: .createdAt)
        try container.encode(user.lastSeenAt, forKey: .lastSeenAt)
        if includePrivateFields { try container.encode(user.totpEnabled, forKey: .totpEnabled) }
    }
}

struct SessionResponse: ResponseEncodable {
    let token: String
    let expiresAt: Date
    let user: UserResponse

    init(_ signedIn: Accounts.SignedIn) {
        self.token = signedIn.token
        self.expiresAt = signedIn.expiresAt
        self.user = UserResponse(user: signedIn.user, includePrivateFields: true)
    }
}

struct RegisterRequest: Decodable {
    let username: String
    let password: String
    let displayName: String?
}

struct LoginRequest: Decodable {
    let username: String
    let password: String
    let totpCode: String?
}

/// The 2FA settings: a code, and the current password (missing is 401, like a wrong one).
struct StepUpCodeRequest: Decodable {
    let code: String
    let password: String?
}

/// `POST /auth/password`: a missing current password is 401, like a wrong one.
struct PasswordChangeRequest: Decodable {
    let currentPassword: String?
    let newPassword: String
}

/// `GET /auth/sessions`.
struct SessionListResponse: ResponseEncodable {
    let sessions: [ListedSessionResponse]
}

/// One login session as its owner sees it (every key present; `user_agent` may be null).
struct ListedSessionResponse: Encodable, Sendable {
    let listed: Sessions.Listed

    enum CodingKeys: String, CodingKey {
        case id, createdAt, lastUsedAt, userAgent, current
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(listed.session.id.apiString, forKey: .id)
        try container.encode(listed.session.createdAt, forKey: .createdAt)
        try container.encode(listed.lastUsedAt, forKey: .lastUsedAt)
        try container.encode(listed.session.userAgent, forKey: .userAgent)
        try container.encode(listed.current, forKey: .current)
    }
}

struct TOTPSetupResponse: ResponseEncodable {
    let secret: String
    let otpauthUri: String
}

struct RecoveryCodesResponse: ResponseEncodable {
    let recoveryCodes: [String]
}

/// `PATCH /users/me`: absent keys stay as they are; `null` clears avatar and status message.
struct ProfileUpdateRequest: Decodable {
    let change: ProfileChange

    enum CodingKeys: String, CodingKey { case displayName, avatarUrl, status, statusMessage }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        var change = ProfileChange()
        if let name = try container.decodeIfPresent(String.self, forKey: .displayName) {
            change.displayName = try ProfileRules.displayName(name)
        } else if container.contains(.displayName) {
            throw AppError.validation(field: "display_name", "display name must be 1-50 characters")
        }
        change.avatarURL = try container.fieldUpdate(String.self, forKey: .avatarUrl) { try ProfileRules.avatarURL($0) }
        if let status = try container.decodeIfPresent(String.self, forKey: .status) {
            change.status = try ProfileRules.status(status)
        } else if container.contains(.status) {
            throw AppError.validation(field: "status", "status must be online, away, busy or offline")
        }
        change.statusMessage = try container.fieldUpdate(String.self, forKey: .statusMessage) { try ProfileRules.statusMessage($0) }
        if case .set("") = change.statusMessage { change.statusMessage = .clear }
        self.change = change
    }
}
