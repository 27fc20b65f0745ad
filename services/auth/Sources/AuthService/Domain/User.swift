import Foundation
import ServiceKit

/// A user as auth stores it (the public view is `UserResponse`).
struct User: Sendable {
    let id: UUID
    var username: String
    var displayName: String
    var passwordHash: String
    var avatarURL: String?
    var status: UserStatus
    var statusMessage: String?
    let createdAt: Date
    var lastSeenAt: Date
    var totpSecret: String?
    var totpEnabled: Bool
    var totpLastStep: Int64
}

/// A profile change: absent fields stay, `null` clears the optional ones.
struct ProfileChange: Sendable {
    var displayName: String?
    var avatarURL: FieldUpdate<String> = .unchanged
    var status: UserStatus?
    var statusMessage: FieldUpdate<String> = .unchanged
}
