import Foundation
import ServiceKit

/// Renders a message's markdown as HTML that is safe to insert into a page: every character of
/// the source is HTML-escaped before any pattern looks at it, and the only markup produced is the
/// fixed set below. Its only attributes are fixed ones (a mention's `class`, a link's `rel` and
/// `target`) and a link's `href`, limited to http, https and mailto. Raw HTML, other attributes
/// and event handlers cannot pass through.
///
/// Supported: fenced code blocks (```), `inline code`, **bold**, *italic* or _italic_,
/// ~~strike~~, [text](url), bare http(s) URLs, `@username` mentions, and line breaks.
enum MarkdownRenderer {
    static func html(_ markdown: String) -> String {
        let parts = markdown.components(separatedBy: "```")
        var html = ""
        for (index, part) in parts.enumerated() {
            // Odd parts sit between fences; after an unclosed fence the rest is plain text.
            if index % 2 == 1 && index < parts.count - 1 {
                html += "<pre><code>" + HTML.escape(codeBlockBody(part)) + "</code></pre>"
            } else {
                html += renderInlineCode((index % 2 == 1 ? "```" : "") + part)
            }
        }
        return html
    }

    /// Without the fence's language tag line and the newline before the closing fence.
    private static func codeBlockBody(_ part: String) -> String {
        var body = Substring(part)
        if let newline = body.firstIndex(of: "\n"), body[..<newline].allSatisfy({ $0.isLetter || $0.isNumber || "+-#_.".contains($0) }) {
            body = body[body.index(after: newline)...]
        }
        if body.hasSuffix("\n") { body = body.dropLast() }
        return String(body)
    }

    /// Splits off `inline code` spans, which are escaped and never formatted.
    private static func renderInlineCode(_ text: String) -> String {
        let pieces = text.components(separatedBy: "`")
        var html = ""
        for (index, piece) in pieces.enumerated() {
            if index % 2 == 1 && index < pieces.count - 1 {
                html += "<code>" + HTML.escape(piece) + "</code>"
            } else {
                html += (index % 2 == 1 ? "`" : "") + renderText(Substring(piece))
            }
        }
        return html
    }

    /// Links first (a URL must not be formatted), then formatting in the text around them.
    private static func renderText(_ text: Substring) -> String {
        let linkPattern = /\[(?<label>[^\]\n]{1,500})\]\((?<url>[^)\s]{1,2000})\)|(?<bare>https?:\/\/[^\s<>"]+)/.ignoresCase()
        var html = ""
        var rest = text
        while let match = rest.firstMatch(of: linkPattern) {
            html += formatted(rest[..<match.range.lowerBound])
            if let label = match.output.label, let url = match.output.url {
                if let href = safeHref(String(url)) {
                    html += anchor(href: href, label: formatted(label))
                } else {
                    html += formatted(rest[match.range])
                }
            } else if let bare = match.output.bare {
                // Trailing punctuation ends the sentence, not the URL.
                var url = bare
                while let last = url.last, ".,;:!?)'".contains(last) { url = url.dropLast() }
                html += anchor(href: String(url), label: HTML.escape(String(url))) + HTML.escape(String(bare.dropFirst(url.count)))
            }
            rest = rest[match.range.upperBound...]
        }
        return html + formatted(rest)
    }

    private static func anchor(href: String, label: String) -> String {
        "<a href=\"" + HTML.escape(href) + "\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">" + label + "</a>"
    }

    /// Escapes, then wraps formatting and mentions, then turns newlines into `<br>`.
    private static func formatted(_ text: Substring) -> String {
        var html = HTML.escape(String(text))
        html = html.replacing(/\*\*(\S(?:[^\n]*?\S)?)\*\*/) { "<strong>\($0.output.1)</strong>" }
        html = html.replacing(/~~(\S(?:[^\n]*?\S)?)~~/) { "<del>\($0.output.1)</del>" }
        html = html.replacing(/(^|[^\w*])\*(\S(?:[^*\n]*?\S)?)\*(?![\w*])/) { "\($0.output.1)<em>\($0.output.2)</em>" }
        html = html.replacing(/(^|[^\w])_(\S(?:[^_\n]*?\S)?)_(?!\w)/) { "\($0.output.1)<em>\($0.output.2)</em>" }
        html = html.replacing(/(^|[^\w@])@(\w{3,20})(?!\w)/) { "\($0.output.1)<span class=\"mention\">@\($0.output.2)</span>" }
        return html.replacingOccurrences(of: "\n", with: "<br>")
    }

    /// The URL when its scheme is one a link may have; relative URLs and other schemes
    /// (`javascript:`, `data:`, ...) are refused.
    static func safeHref(_ url: String) -> String? {
        let lowered = url.lowercased()
        return ["http://", "https://", "mailto:"].contains(where: lowered.hasPrefix) ? url : nil
    }
}
