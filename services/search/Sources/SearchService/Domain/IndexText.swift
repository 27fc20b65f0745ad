import Foundation

/// What the index holds besides a message's own words. Postgres' parser keeps `camelCase`,
/// `a.b@example.com`, `example.com/docs/setup`, `v1.2.3` and `1,000` as single tokens (or
/// splits them where chat users would not), so each such token's parts are added as extra
/// terms: `camel`, `case`; `a`, `b`, `example.com`, `example`, `com`; `docs`, `setup`; `1000`.
/// The extra terms are indexed after the message's own, so phrases keep their positions.
enum IndexText {
    /// The extra terms for `content`, space-separated (empty when there are none).
    static func extraTerms(_ content: String) -> String {
        var terms: [String] = []
        for chunk in content.split(whereSeparator: { $0.isWhitespace }) {
            let token = chunk.trimmingCharacters(in: CharacterSet(charactersIn: "()[]{}<>\"'`,;!?*"))
            terms += parts(of: token)
        }
        return terms.joined(separator: " ")
    }

    /// Whether `content` holds a link (what `has:link` finds).
    static func hasLinks(_ content: String) -> Bool {
        let lowered = content.lowercased()
        return lowered.contains("http://") || lowered.contains("https://") || lowered.contains("www.")
    }

    private static func parts(of token: String) -> [String] {
        var found: [String] = []
        // Addresses: the domain whole (a host token), then every piece.
        if let at = token.lastIndex(of: "@"), at != token.startIndex {
            found.append(String(token[token.index(after: at)...]))
        }
        // Numbers with thousands separators: 1,000,000 is also 1000000.
        if token.contains(","), token.allSatisfy({ $0.isNumber || $0 == "," || $0 == "." }) {
            found.append(token.replacingOccurrences(of: ",", with: ""))
        }
        let pieces = token.split(whereSeparator: { !($0.isLetter || $0.isNumber) }).map(String.init)
        if pieces.count > 1 { found += pieces }
        // camelCase and PascalCase identifiers: each word.
        for piece in pieces {
            let words = camelWords(piece)
            if words.count > 1 { found += words }
        }
        return found
    }

    /// `parseHTTPRequest` as `parse`, `HTTP`, `Request`; a word without case changes as itself.
    static func camelWords(_ word: String) -> [String] {
        var words: [String] = []
        var current = ""
        let characters = Array(word)
        for (index, character) in characters.enumerated() {
            let next = index + 1 < characters.count ? characters[index + 1] : nil
            let previous = index > 0 ? characters[index - 1] : nil
            let startsWord = character.isUppercase && previous != nil
                && (previous!.isLowercase || previous!.isNumber || (next?.isLowercase ?? false) && previous!.isUppercase)
            if startsWord, !current.isEmpty {
                words.append(current)
                current = ""
            }
            current.append(character)
        }
        if !current.isEmpty { words.append(current) }
        return words
    }
}
