import Foundation

/// The `@username` mentions in a message's text (outside code), and whether it calls on the whole
/// room with `@room` or `@here`.
struct Mentions: Equatable {
    var usernames: [String] = []
    var room = false

    static let roomWords: Set<String> = ["room", "here"]

    init(in content: String) {
        var seen = Set<String>()
        for match in Self.outsideCode(content).matches(of: /(?:^|[^\w@])@(\w{3,20})(?!\w)/) {
            let name = match.output.1.lowercased()
            if Self.roomWords.contains(name) {
                room = true
            } else if seen.insert(name).inserted {
                usernames.append(name)
            }
        }
    }

    /// The text without fenced blocks and `inline code`, where an @ is not a mention.
    private static func outsideCode(_ content: String) -> String {
        content.components(separatedBy: "```").enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            .joined(separator: " ")
            .components(separatedBy: "`").enumerated().filter { $0.offset % 2 == 0 }.map(\.element)
            .joined(separator: " ")
    }
}
