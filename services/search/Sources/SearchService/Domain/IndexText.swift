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
        for chunk in content.unicodeScalars.split(whereSeparator: isWhitespace) {
            let trimmedStart = chunk.drop(while: isTrimmed)
            let end = trimmedStart.lastIndex { !isTrimmed($0) }.map(trimmedStart.index(after:)) ?? trimmedStart.startIndex
            let token = trimmedStart[..<end]
            // Most words are plain (ASCII letters and digits, capitalised at most): nothing to
            // add, and no need to look closer, which done for every word cost more than the
            // rest of ingest in this process.
            if token.allSatisfy(isPlain) && !token.dropFirst().contains(where: isUppercaseASCII) { continue }
            terms += parts(of: String(Substring(token)))
        }
        return terms.joined(separator: " ")
    }

    /// Whether `content` holds a link (what `has:link` finds).
    static func hasLinks(_ content: String) -> Bool {
        let lowered = content.lowercased().utf8
        return ["http://", "https://", "www."].contains { lowered.firstRange(of: $0.utf8) != nil }
    }

    private static func isWhitespace(_ scalar: Unicode.Scalar) -> Bool {
        scalar.isASCII ? scalar == " " || (9...13).contains(scalar.value) : scalar.properties.isWhitespace
    }

    /// Punctuation around a word that is not part of it.
    private static func isTrimmed(_ scalar: Unicode.Scalar) -> Bool {
        "()[]{}<>\"'`,;!?*".unicodeScalars.contains(scalar)
    }

    /// An ASCII letter or digit.
    private static func isPlain(_ scalar: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
    }

    private static func isUppercaseASCII(_ scalar: Unicode.Scalar) -> Bool {
        ("A"..."Z").contains(scalar)
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
