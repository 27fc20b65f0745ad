import TextKit

/// Renders the inline markdown of one stretch of the source (the text between code blocks, or a
/// link's label) as HTML, in one pass from left to right: `code`, [label](url), bare URLs,
/// @mentions, emphasis (through `EmphasisLine`, a line at a time) and line breaks; every other
/// byte is escaped. What it looks ahead for (a closing backtick, a label's `]`, a URL's `)`) it
/// finds through a `NextStop`, which never searches the same bytes twice.
struct InlineRenderer {
    private let range: Range<Int>
    /// Off inside a link's label: a link holds no other link and no bare URL.
    private let allowsLinks: Bool
    private var line = EmphasisLine()
    private var backticks: NextStop
    private var labelEnds: NextStop
    private var urlEnds: NextStop

    /// A username: 3-20 letters, digits or underscores.
    private static let nameLengths = 3...20
    private static let linkSchemes = ["http://", "https://", "mailto:"]
    private static let bareURLSchemes = ["https://", "http://"]

    init(_ range: Range<Int>, allowsLinks: Bool) {
        self.range = range
        self.allowsLinks = allowsLinks
        self.backticks = NextStop(.backtick, in: range)
        self.labelEnds = NextStop(.labelEnd, in: range)
        self.urlEnds = NextStop(.urlEnd, in: range)
    }

    /// Appends the stretch's HTML to `html` and the names it mentions to `mentions`.
    mutating func render(_ source: inout MarkdownSource, into html: inout [UInt8], mentions: inout [String]) {
        var index = range.lowerBound
        while index < range.upperBound {
            let byte = source.byte(at: index)
            switch byte {
            case UInt8(ascii: "\n"):
                line.finish(into: &html, &source)
                html.append(contentsOf: "<br>".utf8)
                index += 1
            case UInt8(ascii: "\r") where index + 1 < range.upperBound && source.byte(at: index + 1) == UInt8(ascii: "\n"):
                // CR LF breaks the line once, at its LF.
                index += 1
            case UInt8(ascii: "`"):
                index = codeSpan(at: index, &source)
            case UInt8(ascii: "["):
                index = (allowsLinks ? link(at: index, &source, mentions: &mentions) : nil) ?? text(byte, at: index)
            case UInt8(ascii: "h"), UInt8(ascii: "H"):
                index = (allowsLinks ? bareURL(at: index, &source) : nil) ?? text(byte, at: index)
            case UInt8(ascii: "@"):
                index = mention(at: index, &source, mentions: &mentions) ?? text(byte, at: index)
            case UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                index = delimiterRun(of: byte, at: index, &source)
            default:
                index = text(byte, at: index)
            }
        }
        line.finish(into: &html, &source)
    }

    /// Writes `byte`, escaped; answers the position after it.
    private mutating func text(_ byte: UInt8, at index: Int) -> Int {
        HTML.appendEscaped(byte, to: &line.html)
        return index + 1
    }

    /// `code` up to the next backtick, escaped and never formatted; two backticks side by side are text.
    private mutating func codeSpan(at index: Int, _ source: inout MarkdownSource) -> Int {
        guard let close = backticks.next(from: index + 1, in: &source) else { return text(UInt8(ascii: "`"), at: index) }
        if close == index + 1 {
            line.html.append(contentsOf: "``".utf8)
        } else {
            line.html.append(contentsOf: "<code>".utf8)
            line.html.append(contentsOf: escaped(index + 1..<close, &source))
            line.html.append(contentsOf: "</code>".utf8)
        }
        return close + 1
    }

    /// [label](url) with an http, https or mailto URL, its label rendered (without links); nil for
    /// anything else, which leaves the `[` as text.
    private mutating func link(at index: Int, _ source: inout MarkdownSource, mentions: inout [String]) -> Int? {
        let end = range.upperBound
        guard let labelEnd = labelEnds.next(from: index + 1, in: &source), labelEnd > index + 1,
            source.byte(at: labelEnd) == UInt8(ascii: "]"), labelEnd + 1 < end, source.byte(at: labelEnd + 1) == UInt8(ascii: "("),
            let urlEnd = urlEnds.next(from: labelEnd + 2, in: &source), urlEnd > labelEnd + 2, source.byte(at: urlEnd) == UInt8(ascii: ")")
        else { return nil }
        let url = labelEnd + 2..<urlEnd
        guard Self.linkSchemes.contains(where: { source.matches($0, at: url.lowerBound, before: url.upperBound) }) else {
            return nil
        }
        var label: [UInt8] = []
        var labelRenderer = InlineRenderer(index + 1..<labelEnd, allowsLinks: false)
        labelRenderer.render(&source, into: &label, mentions: &mentions)
        appendAnchor(href: escaped(url, &source), label: label)
        return urlEnd + 1
    }

    /// A bare http(s) URL, up to whitespace, `<`, `>`, `"` or a backtick, without the punctuation
    /// that ends the sentence around it (a `)` only when it closes no `(` of the URL); nil when
    /// nothing is left after the scheme.
    private mutating func bareURL(at index: Int, _ source: inout MarkdownSource) -> Int? {
        let end = range.upperBound
        guard let schemeEnd = Self.bareURLSchemes.first(where: { source.matches($0, at: index, before: end) }).map({ index + $0.utf8.count })
        else { return nil }
        var urlEnd = schemeEnd
        // How many more `(` than `)` the URL holds so far.
        var openParentheses = 0
        scan: while urlEnd < end {
            switch source.byte(at: urlEnd) {
            case UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "\""), UInt8(ascii: "`"): break scan
            case UInt8(ascii: "("): openParentheses += 1
            case UInt8(ascii: ")"): openParentheses -= 1
            default: if source.isWhitespace(at: urlEnd, before: end) { break scan }
            }
            urlEnd += 1
        }
        trimming: while urlEnd > schemeEnd {
            switch source.byte(at: urlEnd - 1) {
            case UInt8(ascii: ")") where openParentheses < 0: openParentheses += 1
            case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: ";"), UInt8(ascii: ":"), UInt8(ascii: "!"), UInt8(ascii: "?"),
                UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "~"):
                break
            default: break trimming
            }
            urlEnd -= 1
        }
        guard urlEnd > schemeEnd else { return nil }
        let url = escaped(index..<urlEnd, &source)
        appendAnchor(href: url, label: url)
        return urlEnd
    }

    /// `@name` (a username), neither inside a word nor after another @; nil otherwise. Underscores
    /// that end the name stay text while an `_` waits to close: `_@alice_` is alice, emphasised.
    private mutating func mention(at index: Int, _ source: inout MarkdownSource, mentions: inout [String]) -> Int? {
        let end = range.upperBound
        guard source.neighbour(before: index, after: range.lowerBound) != .alphanumeric,
            index == range.lowerBound || source.byte(at: index - 1) != UInt8(ascii: "@")
        else { return nil }
        var name: [UInt8] = []
        var nameEnd = index + 1
        // One past the longest name is enough to know the name is too long.
        while nameEnd < end, name.count <= Self.nameLengths.upperBound {
            let byte = source.byte(at: nameEnd)
            guard byte == UInt8(ascii: "_") || MarkdownSource.isASCIIAlphanumeric(byte) else { break }
            name.append(byte)
            nameEnd += 1
        }
        guard name.count <= Self.nameLengths.upperBound, source.neighbour(at: nameEnd, before: end) != .alphanumeric else { return nil }
        if line.hasUnderscoreOpener {
            while name.last == UInt8(ascii: "_") { name.removeLast() }
        }
        guard Self.nameLengths.contains(name.count) else { return nil }
        line.html.append(contentsOf: "<span class=\"mention\">@".utf8)
        line.html.append(contentsOf: name)
        line.html.append(contentsOf: "</span>".utf8)
        mentions.append(String(decoding: name, as: UTF8.self))
        return index + 1 + name.count
    }

    /// A run of `*`, `_` or `~`, left to `EmphasisLine` with what stands on either side of it.
    private mutating func delimiterRun(of marker: UInt8, at index: Int, _ source: inout MarkdownSource) -> Int {
        var runEnd = index + 1
        while runEnd < range.upperBound, source.byte(at: runEnd) == marker { runEnd += 1 }
        line.appendRun(
            of: marker, length: runEnd - index, before: source.neighbour(before: index, after: range.lowerBound),
            after: source.neighbour(at: runEnd, before: range.upperBound))
        return runEnd
    }

    private mutating func appendAnchor(href: [UInt8], label: [UInt8]) {
        line.html.append(contentsOf: "<a href=\"".utf8)
        line.html.append(contentsOf: href)
        line.html.append(contentsOf: "\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">".utf8)
        line.html.append(contentsOf: label)
        line.html.append(contentsOf: "</a>".utf8)
    }

    private func escaped(_ range: Range<Int>, _ source: inout MarkdownSource) -> [UInt8] {
        var html: [UInt8] = []
        html.reserveCapacity(range.count)
        for index in range { HTML.appendEscaped(source.byte(at: index), to: &html) }
        return html
    }
}
