import FuzzSupport
import MessageMarkup

// Messages' renderer: any text renders, in work linear in its length, to HTML whose only markup
// is the renderer's fixed set (so no input can smuggle a tag or an attribute into a page).
fuzz { bytes in
    let source = String(decoding: bytes, as: UTF8.self)
    let rendered = MarkdownRenderer.render(source)
    let length = source.utf8.count
    // Linear work measures about 5 to 10 per byte on the worst inputs found; a quadratic
    // renderer passes 16 per byte within a few hundred bytes.
    if rendered.work > 16 * length + 64 {
        fatalError("superlinear work: \(rendered.work) for \(length) bytes")
    }
    if let tag = unexpectedMarkup(in: rendered.html) {
        fatalError("markup the renderer never writes: \(tag)")
    }
}

/// The first `<...>` that is not one of the renderer's own tags, if any. Read as bytes, as a
/// browser's tokenizer reads it: a `>` followed by a combining mark still ends a tag.
func unexpectedMarkup(in html: String) -> String? {
    let allowed: Set<String> = [
        "<strong>", "</strong>", "<em>", "</em>", "<del>", "</del>", "<code>", "</code>", "<pre>", "</pre>",
        "<br>", "</a>", "<span class=\"mention\">", "</span>",
    ]
    let linkStart = "<a href=\"", linkEnd = "\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">"
    let bytes = Array(html.utf8)
    var index = 0
    while let open = bytes[index...].firstIndex(of: UInt8(ascii: "<")) {
        guard let close = bytes[open...].firstIndex(of: UInt8(ascii: ">")) else { return String(decoding: bytes[open...], as: UTF8.self) }
        let tag = String(decoding: bytes[open...close], as: UTF8.self)
        // A link: its URL escaped, so no quote inside it.
        let isLink = tag.utf8.count >= linkStart.utf8.count + linkEnd.utf8.count && tag.hasPrefix(linkStart) && tag.hasSuffix(linkEnd)
            && !tag.utf8.dropFirst(linkStart.utf8.count).dropLast(linkEnd.utf8.count).contains(UInt8(ascii: "\""))
        guard allowed.contains(tag) || isLink else { return tag }
        index = close + 1
    }
    return nil
}
