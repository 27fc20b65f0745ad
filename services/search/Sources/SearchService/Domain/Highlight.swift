import Foundation
import ServiceKit

/// A result's `highlight`: the matching text with every hit wrapped in `<mark>`…`</mark>` and
/// everything else HTML-escaped, cut around the hits when the message is long. Postgres'
/// `ts_headline` finds the hits (exactly as the query matched) and marks them with two
/// private-use characters, which indexed text never holds; the HTML is made here.
enum Highlight {
    static let start: Character = "\u{E000}"
    static let stop: Character = "\u{E001}"

    /// Messages up to this many characters are shown whole; longer ones as excerpts.
    static let wholeUpTo = 280

    /// For `ts_headline` on a short message: all of it, every hit marked. (Its excerpting
    /// modes drop what its parser takes for HTML tags, which a short message keeps this way.)
    static let wholeOptions = "StartSel=\(start), StopSel=\(stop), HighlightAll=true"

    /// For a long message: up to three excerpts of 15-35 words around the best hits.
    static let excerptOptions =
        "StartSel=\(start), StopSel=\(stop), MinWords=15, MaxWords=35, ShortWord=0, MaxFragments=3, FragmentDelimiter=\" … \""

    /// `text` without the marker characters: what the index stores and highlights.
    static func withoutMarkers(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: markers.contains) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.filter { !markers.contains($0) }))
    }

    private static let markers: Set<Unicode.Scalar> = Set([start, stop].flatMap(\.unicodeScalars))

    /// The headline as safe HTML (the markers are not among what escaping changes).
    static func html(_ headline: String) -> String {
        HTML.escape(headline).replacingOccurrences(of: String(start), with: "<mark>").replacingOccurrences(of: String(stop), with: "</mark>")
    }
}
