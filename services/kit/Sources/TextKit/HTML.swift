/// Text made safe to place in HTML: the one escaping every service uses (messages' rendered
/// markdown, search's highlights).
public enum HTML {
    /// `&`, `<`, `>`, `"` and `'` as entities; everything else as it is.
    public static func escape(_ text: String) -> String {
        var escaped: [UInt8] = []
        escaped.reserveCapacity(text.utf8.count)
        for byte in text.utf8 { appendEscaped(byte, to: &escaped) }
        return String(decoding: escaped, as: UTF8.self)
    }

    /// Appends one byte of UTF-8 text to `html`, as an entity when it is one of the five. Byte by
    /// byte on purpose: the five are ASCII and no other byte of UTF-8 equals one of them, so a
    /// combining mark after `<` (one character to Swift, `"<\u{338}"`) cannot hide it.
    public static func appendEscaped(_ byte: UInt8, to html: inout [UInt8]) {
        switch byte {
        case UInt8(ascii: "&"): html.append(contentsOf: "&amp;".utf8)
        case UInt8(ascii: "<"): html.append(contentsOf: "&lt;".utf8)
        case UInt8(ascii: ">"): html.append(contentsOf: "&gt;".utf8)
        case UInt8(ascii: "\""): html.append(contentsOf: "&quot;".utf8)
        case UInt8(ascii: "'"): html.append(contentsOf: "&#39;".utf8)
        default: html.append(byte)
        }
    }
}
