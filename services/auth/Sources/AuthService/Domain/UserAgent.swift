import Foundation

/// The `User-Agent` a session was started with, as its owner's list of sessions shows it.
enum UserAgent {
    static let maxLength = 256

    /// Control characters (NUL among them) removed, spaces at the ends trimmed, at most
    /// `maxLength` characters; nil when nothing is left.
    static func kept(_ header: String?) -> String? {
        guard let header else { return nil }
        var scalars = String.UnicodeScalarView()
        scalars.append(contentsOf: header.unicodeScalars.filter { !CharacterSet.controlCharacters.contains($0) })
        let text = String(String(scalars).trimmingCharacters(in: .whitespaces).prefix(maxLength))
        return text.isEmpty ? nil : text
    }
}
