import FuzzSupport
import MessageMarkup

// Messages' renderer: any text renders, in work linear in its length, to HTML whose only markup
// is the renderer's fixed set (so no input can smuggle a tag or an attribute into a page).
fuzz { bytes in
    let source = String(decoding: bytes, as: UTF8.self)
    let rendered = MarkdownRenderer.render(source)
    let length = source.utf8.count
    if rendered.work > 8 * length + 64 {
        fatalError("superlinear work: \(rendered.work) for \(length) bytes")
    }
    if let tag = unexpectedMarkup(in: rendered.html) {
        fatalError("markup the renderer never writes: \(tag)")
    }
}

/// The first `<...>` that is not one of the renderer's own tags, if any.
func unexpectedMarkup(in html: String) -> Substring? {
    let allowed: Set<Substring> = [
        "<strong>", "</strong>", "<em>", "</em>", "<del>", "</del>", "<code>", "</code>", "<pre>", "</pre>",
        "<br>", "</a>", "<span class=\"mention\">", "</span>",
    ]
    var rest = Substring(html)
    while let open = rest.firstIndex(of: "<") {
        guard let close = rest[open...].firstIndex(of: ">") else { return rest[open...] }
        let tag = rest[open...close]
        // A link: `<a href="…" rel="noopener noreferrer nofollow" target="_blank">`, its URL escaped.
        let isLink = tag.hasPrefix("<a href=\"") && tag.hasSuffix("\" rel=\"noopener noreferrer nofollow\" target=\"_blank\">")
            && !tag.dropFirst(9).dropLast(49).contains("\"")
        guard allowed.contains(tag) || isLink else { return tag }
        rest = rest[rest.index(after: close)...]
    }
    return nil
}
