import Foundation

/// A search as a user types it (`q`): web-search syntax for the words, and inline operators for
/// filters, as in Slack and Mattermost.
///
/// - `word` must appear; `"exact phrase"` as written; `-word` / `-"phrase"` must not; `a or b`
///   either (`or` binds tighter than the implied "and": `x a or b` is x and (a or b)).
/// - The last word also matches as a prefix while the user is still typing it (no space after).
/// - `in:<room id>`, `from:<username>`, `after:<date>`, `before:<date>`, `has:attachment`,
///   `has:link`, `is:thread`.
public struct SearchQuery: Equatable, Sendable {
    /// One thing to look for: words that must appear together (a bare word may be several, as
    /// `foo-bar` is), a phrase, or a word's beginning.
    public enum Term: Equatable, Sendable {
        case words(String)
        case phrase(String)
        case prefix(String)
    }

    public struct Condition: Equatable, Sendable {
        /// Any of these (an `or` group); one for a plain term.
        public var alternatives: [Term]
        public var negated = false

        public init(alternatives: [Term], negated: Bool = false) {
            self.alternatives = alternatives
            self.negated = negated
        }
    }

    public var conditions: [Condition] = []
    public var roomIDs: [String] = []
    public var senderNames: [String] = []
    public var after: String?
    public var before: String?
    public var hasAttachments = false
    public var hasLinks = false
    public var threadsOnly = false

    /// The conditions that must hold (what highlighting looks for), without negated ones.
    public var positiveTerms: [Term] { conditions.filter { !$0.negated }.flatMap(\.alternatives) }

    public init() {}

    public init(parsing text: String) {
        let tokens = Self.tokens(text)
        var index = 0
        while index < tokens.count {
            let token = tokens[index]
            index += 1
            if case .bare(let word) = token, applyOperator(word) { continue }
            guard var condition = Self.condition(token, isLast: index == tokens.count && !text.hasSuffix(" ")) else { continue }
            // `a or b or c`: one condition with three alternatives.
            while index + 1 < tokens.count, tokens[index] == .bare("or") || tokens[index] == .bare("OR"),
                let next = Self.condition(tokens[index + 1], isLast: index + 2 == tokens.count && !text.hasSuffix(" ")), !next.negated,
                !condition.negated
            {
                condition.alternatives += next.alternatives
                index += 2
            }
            conditions.append(condition)
        }
    }

    private enum Token: Equatable {
        case bare(String)
        case quoted(String)
        case negatedBare(String)
        case negatedQuoted(String)
    }

    private static func condition(_ token: Token, isLast: Bool) -> Condition? {
        switch token {
        case .bare(let word):
            // A word still being typed matches as a prefix when it is a plain word.
            let plain = word.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) }
            return Condition(alternatives: [isLast && plain ? .prefix(word) : .words(word)])
        case .quoted(let phrase): return phrase.isEmpty ? nil : Condition(alternatives: [.phrase(phrase)])
        case .negatedBare(let word): return Condition(alternatives: [.words(word)], negated: true)
        case .negatedQuoted(let phrase): return phrase.isEmpty ? nil : Condition(alternatives: [.phrase(phrase)], negated: true)
        }
    }

    /// `in:`, `from:` and the other operators; false for an ordinary word.
    private mutating func applyOperator(_ word: String) -> Bool {
        guard let colon = word.firstIndex(of: ":"), colon != word.startIndex else { return false }
        let name = word[..<colon].lowercased()
        let value = String(word[word.index(after: colon)...])
        guard !value.isEmpty else { return false }
        switch (name, value.lowercased()) {
        case ("in", _): roomIDs.append(value)
        case ("from", _): senderNames.append(value.hasPrefix("@") ? String(value.dropFirst()) : value)
        case ("after", _): after = value
        case ("before", _): before = value
        case ("has", "attachment"), ("has", "attachments"), ("has", "file"), ("has", "files"): hasAttachments = true
        case ("has", "link"), ("has", "links"): hasLinks = true
        case ("is", "thread"): threadsOnly = true
        default: return false
        }
        return true
    }

    /// Splits on blanks, keeping `"quoted text"` (an unclosed quote runs to the end) and a
    /// leading `-` as negation.
    private static func tokens(_ text: String) -> [Token] {
        var tokens: [Token] = []
        var rest = Substring(text)
        while true {
            rest = rest.drop { $0.isWhitespace }
            guard let first = rest.first else { break }
            var negated = false
            if first == "-", rest.count > 1, !rest.dropFirst().first!.isWhitespace {
                negated = true
                rest = rest.dropFirst()
            }
            if rest.first == "\"" {
                rest = rest.dropFirst()
                let end = rest.firstIndex(of: "\"") ?? rest.endIndex
                let phrase = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = end == rest.endIndex ? rest[end...] : rest[rest.index(after: end)...]
                tokens.append(negated ? .negatedQuoted(phrase) : .quoted(phrase))
            } else {
                let end = rest.firstIndex { $0.isWhitespace } ?? rest.endIndex
                let word = String(rest[..<end])
                rest = rest[end...]
                tokens.append(negated ? .negatedBare(word) : .bare(word))
            }
        }
        return tokens
    }
}
