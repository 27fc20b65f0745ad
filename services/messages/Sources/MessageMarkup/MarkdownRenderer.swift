import TextKit

/// Renders a message's markdown as HTML that is safe to insert into a page: every byte of the
/// source is escaped, and the only markup is the fixed set below. Its only attributes are fixed
/// ones (a mention's `class`, a link's `rel` and `target`) and a link's `href`, limited to http,
/// https and mailto. Raw HTML, other attributes and event handlers cannot pass through.
///
/// Supported: fenced code blocks (```), `inline code`, **bold**, *italic* or _italic_, ~~strike~~,
/// [text](url), bare http(s) URLs, `@username` mentions, and line breaks.
///
/// Linear by construction: code blocks are split off in one pass, then each stretch between them
/// is rendered in one pass (`InlineRenderer`); nothing is searched twice (`NextStop`) and emphasis
/// is matched with a bounded number of visits per delimiter (`EmphasisLine`). `work` in the result
/// counts it all.
public enum MarkdownRenderer {
    public static func render(_ markdown: String) -> RenderedMarkdown {
        var source = MarkdownSource(markdown)
        var html: [UInt8] = []
        html.reserveCapacity(source.count + source.count / 4)
        var mentions: [String] = []
        var fences = NextStop(.fence, in: 0..<source.count)
        var textStart = 0
        // A fence opens a code block only when another closes it; an unclosed one is text.
        while let open = fences.next(from: textStart, in: &source), let close = fences.next(from: open + 3, in: &source) {
            var text = InlineRenderer(textStart..<open, allowsLinks: true)
            text.render(&source, into: &html, mentions: &mentions)
            appendCodeBlock(open + 3..<close, &source, to: &html)
            textStart = close + 3
        }
        var text = InlineRenderer(textStart..<source.count, allowsLinks: true)
        text.render(&source, into: &html, mentions: &mentions)
        return RenderedMarkdown(html: String(decoding: html, as: UTF8.self), mentionedNames: mentions, work: source.work)
    }

    /// A code block's body, escaped, without the line of its language tag (`swift`, `c++`, or
    /// none) and the line break before the closing fence.
    private static func appendCodeBlock(_ body: Range<Int>, _ source: inout MarkdownSource, to html: inout [UInt8]) {
        var start = body.lowerBound
        var tagEnd = start
        while tagEnd < body.upperBound, isLanguageTagByte(source.byte(at: tagEnd)) { tagEnd += 1 }
        if let afterBreak = lineBreakEnd(at: tagEnd, before: body.upperBound, &source) { start = afterBreak }
        var end = body.upperBound
        if end > start, source.byte(at: end - 1) == UInt8(ascii: "\n") {
            end -= 1
            if end > start, source.byte(at: end - 1) == UInt8(ascii: "\r") { end -= 1 }
        }
        html.append(contentsOf: "<pre><code>".utf8)
        for index in start..<max(start, end) { HTML.appendEscaped(source.byte(at: index), to: &html) }
        html.append(contentsOf: "</code></pre>".utf8)
    }

    /// The position after the LF or CR LF at `index`; nil when there is none.
    private static func lineBreakEnd(at index: Int, before end: Int, _ source: inout MarkdownSource) -> Int? {
        guard index < end else { return nil }
        switch source.byte(at: index) {
        case UInt8(ascii: "\n"): return index + 1
        case UInt8(ascii: "\r") where index + 1 < end && source.byte(at: index + 1) == UInt8(ascii: "\n"): return index + 2
        default: return nil
        }
    }

    private static func isLanguageTagByte(_ byte: UInt8) -> Bool {
        MarkdownSource.isASCIIAlphanumeric(byte) || "+-#_.".utf8.contains(byte)
    }
}
