/// The `@username` mentions in a message (outside code and URLs, as the renderer finds them), and
/// whether it calls on the whole room with `@room` or `@here`.
public struct Mentions: Equatable, Sendable {
    /// Lowercased, each once, in the order first written.
    public private(set) var usernames: [String] = []
    public private(set) var room = false

    static let roomWords: Set<String> = ["room", "here"]

    public init(_ rendered: RenderedMarkdown) {
        var seen = Set<String>()
        for name in rendered.mentionedNames.map({ $0.lowercased() }) {
            if Self.roomWords.contains(name) {
                room = true
            } else if seen.insert(name).inserted {
                usernames.append(name)
            }
        }
    }
}
