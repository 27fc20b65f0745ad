/// A message's markdown rendered: its HTML and the names it mentions.
public struct RenderedMarkdown: Sendable, Equatable {
    /// Safe to insert into a page (`MarkdownRenderer`).
    public let html: String
    /// The names after each `@` that is a mention (outside code and URLs), as written, in order,
    /// repeats included.
    public let mentionedNames: [String]
    /// How many times the renderer looked at a byte of the source or at a pending delimiter: its
    /// whole work, which stays within a small multiple of the source's length.
    public let work: Int
}
