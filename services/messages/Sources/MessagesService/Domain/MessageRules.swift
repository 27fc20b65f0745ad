import Foundation
import ServiceKit

/// What a message and a reaction may contain (SPEC "Validation").
enum MessageRules {
    static let maxContentLength = 10_000
    /// Characters can be made of any number of combining marks: a byte cap keeps a message (and
    /// its events, with the HTML beside it) well within every body limit on its way.
    static let maxContentBytes = 64 * 1024
    static let maxClientIDLength = 100

    static let maxAttachments = 10

    /// Content kept exactly as written; 1-10,000 characters, not only whitespace. A message that
    /// carries files (`withAttachments`) may have none.
    static func content(_ text: String, withAttachments: Bool = false) throws -> String {
        let blank = text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
        guard !blank || withAttachments, text.count <= maxContentLength, text.utf8.count <= maxContentBytes else {
            throw AppError.validation(field: "content", "content must be 1-\(maxContentLength) characters")
        }
        return text
    }

    static func clientID(_ text: String?) throws -> String? {
        guard let text else { return nil }
        guard !text.isEmpty, text.count <= maxClientIDLength else {
            throw AppError.validation(field: "client_id", "client_id must be 1-\(maxClientIDLength) characters")
        }
        return text
    }

    static let maxReportReasonLength = 1_000

    static func reportReason(_ text: String) throws -> String {
        let reason = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !reason.isEmpty, reason.count <= maxReportReasonLength else {
            throw AppError.validation(field: "reason", "reason must be 1-\(maxReportReasonLength) characters")
        }
        return reason
    }

    /// One emoji (a single grapheme, such as 👍, ❤️, 👍🏽 or 🏳️‍🌈), as Unicode writes it.
    static func emoji(_ text: String, field: String = "emoji") throws -> String {
        guard text.count == 1, let character = text.first, isEmoji(character) else {
            throw AppError.validation(field: field, "emoji must be a single emoji")
        }
        return text
    }

    private static func isEmoji(_ character: Character) -> Bool {
        let scalars = character.unicodeScalars
        guard let first = scalars.first, first.properties.isEmoji else { return false }
        // Digits, # and * are "emoji" only as keycaps; text-default symbols only with U+FE0F.
        return first.properties.isEmojiPresentation || scalars.count > 1
    }
}
