import Foundation
import ServiceKit

/// Input rules for rooms (SPEC.md "Validation"), each violation a 400 naming its field.
enum RoomRules {
    static func name(_ value: String) throws -> String {
        let trimmed = value.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...100).contains(trimmed.count) else { throw AppError.validation(field: "name", "room name must be 1-100 characters") }
        guard !trimmed.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) else {
            throw AppError.validation(field: "name", "room name must not contain control characters")
        }
        return trimmed
    }

    /// Empty means no description.
    static func description(_ value: String?) throws -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= 1000 else { throw AppError.validation(field: "description", "description must be at most 1000 characters") }
        return trimmed
    }

    static func password(_ value: String) throws -> String {
        guard (4...72).contains(value.utf8.count) else {
            throw AppError.validation(field: "password", "room password must be 4-72 bytes long")
        }
        return value
    }

    static let maxMuteSeconds = 366 * 86400

    static func muteDuration(_ seconds: Int?) throws -> TimeInterval? {
        guard let seconds else { return nil }
        guard (1...maxMuteSeconds).contains(seconds) else {
            throw AppError.validation(field: "duration_seconds", "duration_seconds must be 1-\(maxMuteSeconds)")
        }
        return TimeInterval(seconds)
    }

    static func banReason(_ value: String?) throws -> String? {
        guard let trimmed = value?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= 500 else { throw AppError.validation(field: "reason", "reason must be at most 500 characters") }
        return trimmed
    }
}
