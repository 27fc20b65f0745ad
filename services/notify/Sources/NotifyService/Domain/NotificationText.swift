import Foundation
import ServiceKit

/// What a notification says, as a desktop notification would show it: a title naming who did
/// what where, and a short plain-text preview.
enum NotificationText {
    static let previewLength = 140

    static func title(_ type: NotificationType, actor: String, roomName: String, roomType: String) -> String {
        let room = roomType == "direct" ? actor : "#\(roomName)"
        switch type {
        case .mention: return "\(actor) mentioned you in \(room)"
        case .reply: return "\(actor) replied to you in \(room)"
        case .directMessage: return actor
        case .message: return "\(actor) in \(room)"
        case .roomInvite: return "Added to \(room)"
        case .call: return roomType == "direct" ? "\(actor) is calling you" : "\(actor) is calling \(room)"
        case .security: return signInPausedTitle
        }
    }

    static let signInPausedTitle = "Sign-in attempts paused"

    /// What a `security` notification of a pause says: from where, how many, and until when.
    static func signInPaused(address: String, failedAttempts: Int, until: Date) -> String {
        "\(failedAttempts) failed sign-in attempts to your account from \(address): signing in from that address is paused until "
            + "\(Timestamp.format(until)). If that was not you, consider changing your password."
    }

    /// The message's start with its whitespace folded, cut at a word near `previewLength`
    /// characters; a message of files only names them.
    static func preview(content: String, attachmentNames: [String]) -> String {
        let text = content.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        guard !text.isEmpty else {
            guard let first = attachmentNames.first else { return "" }
            return attachmentNames.count == 1 ? "sent \(first)" : "sent \(first) and \(attachmentNames.count - 1) more"
        }
        guard text.count > previewLength else { return text }
        let cut = text.prefix(previewLength)
        let atWord = cut.lastIndex(of: " ").map { cut[..<$0] } ?? cut
        return String(atWord) + "…"
    }

    /// What a `call` notification says: "Incoming video call" or "Incoming voice call".
    static func call(kind: String) -> String {
        kind == "video" ? "Incoming video call" : "Incoming voice call"
    }

    static func invite(actor: String, roomName: String) -> String {
        "\(actor) added you to #\(roomName)"
    }
}
