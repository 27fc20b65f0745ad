import Foundation
import ServiceKit

/// The product spec's validation rules for users, each violation a 400 naming its field.
enum ProfileRules {
    static func username(_ value: String) throws -> String {
        guard isUsername(value) else {
            throw AppError.validation(field: "username", "username must be 3-20 letters, digits or underscores")
        }
        return value
    }

    /// 3-20 ASCII letters, digits or underscores; the length is checked first, so a huge value costs nothing.
    static func isUsername(_ value: String) -> Bool {
        (3...20).contains(value.utf8.count) && value.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"): true
            default: false
            }
        }
    }

    /// `field` names it in the error: `password` at registration, `new_password` when changed.
    static func password(_ value: String, field: String = "password") throws -> String {
        // bcrypt reads at most 72 bytes; refusing longer ones beats silently ignoring their tail.
        guard value.count >= 8, value.utf8.count <= 72 else {
            throw AppError.validation(field: field, "\(field) must be at least 8 characters and at most 72 bytes")
        }
        return value
    }

    /// Lengths count Unicode scalars, as the contract's `maxLength` does: a name of 30 letters
    /// each with a stack of combining marks is longer than it looks.
    static func displayName(_ value: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...50).contains(trimmed.unicodeScalars.count), !trimmed.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw AppError.validation(field: "display_name", "display name must be 1-50 characters")
        }
        return trimmed
    }

    static func statusMessage(_ value: String) throws -> String {
        guard value.unicodeScalars.count <= 100 else {
            throw AppError.validation(field: "status_message", "status message must be at most 100 characters")
        }
        return value
    }

    static func avatarURL(_ value: String) throws -> String {
        guard value.count <= 2048, let url = URL(string: value), let scheme = url.scheme?.lowercased(),
            scheme == "http" || scheme == "https", let host = url.host, !host.isEmpty
        else {
            throw AppError.validation(field: "avatar_url", "avatar URL must be an http or https URL")
        }
        return value
    }

    static func status(_ value: String) throws -> UserStatus {
        guard let status = UserStatus(rawValue: value) else {
            throw AppError.validation(field: "status", "status must be online, away, busy or offline")
        }
        return status
    }
}

enum UserStatus: String, Codable, Sendable {
    case online, away, busy, offline
}
