/// The UTF-8 bytes of the markdown being rendered, read only through `byte(at:)`, which counts each
/// look. `work` (those looks, plus the visits to pending delimiters counted by `countVisit()`) is
/// the renderer's whole effort: it never goes back over the text by more than a bounded amount, so
/// `work` stays within a small multiple of the length, which its tests check and which no
/// quadratic algorithm could pass.
struct MarkdownSource {
    private let bytes: [UInt8]
    private(set) var work = 0

    init(_ text: String) {
        bytes = Array(text.utf8)
    }

    var count: Int { bytes.count }

    mutating func byte(at index: Int) -> UInt8 {
        work += 1
        return bytes[index]
    }

    mutating func countVisit() {
        work += 1
    }

    /// Whether `lowercased` (ASCII) stands at `index`, before `end`, in any case.
    mutating func matches(_ lowercased: String, at index: Int, before end: Int) -> Bool {
        var position = index
        for expected in lowercased.utf8 {
            guard position < end else { return false }
            let byte = self.byte(at: position)
            // ASCII letters differ from their capitals by 0x20 alone.
            guard byte == expected || (byte | 0x20 == expected && expected >= UInt8(ascii: "a") && expected <= UInt8(ascii: "z")) else {
                return false
            }
            position += 1
        }
        return true
    }

    /// What stands beside a delimiter or a mention: the start or end of the text, a space, a
    /// letter or digit (in any script, with its combining marks), or anything else.
    enum Neighbour {
        case edge, space, alphanumeric, other
    }

    /// The neighbour made of the character (scalar) that starts at `index`; `.edge` at `end`.
    mutating func neighbour(at index: Int, before end: Int) -> Neighbour {
        guard index < end, let (scalar, _) = scalar(at: index, before: end) else { return .edge }
        return Self.neighbour(scalar)
    }

    /// The neighbour made of the character (scalar) that ends just before `index`; `.edge` at `start`.
    mutating func neighbour(before index: Int, after start: Int) -> Neighbour {
        var lead = index - 1
        // Back over continuation bytes (10xxxxxx) to the scalar's first byte: at most three.
        while lead > start, byte(at: lead) & 0xC0 == 0x80 { lead -= 1 }
        guard lead >= start, let (scalar, _) = scalar(at: lead, before: index) else { return .edge }
        return Self.neighbour(scalar)
    }

    /// Whether the character at `index` is whitespace, ASCII or not (a no-break space ends a URL too).
    mutating func isWhitespace(at index: Int, before end: Int) -> Bool {
        guard let (scalar, _) = scalar(at: index, before: end) else { return false }
        return Self.neighbour(scalar) == .space
    }

    /// The scalar that starts at `index` and its length in bytes; nil in the middle of one (at a
    /// continuation byte) or if it does not end by `end`.
    mutating func scalar(at index: Int, before end: Int) -> (Unicode.Scalar, Int)? {
        let lead = byte(at: index)
        guard lead >= 0x80 else { return (Unicode.Scalar(lead), 1) }
        guard lead >= 0xC0 else { return nil }
        let length = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard index + length <= end else { return nil }
        // The lead byte keeps 7 - length bits of the value, each continuation byte 6.
        var value = UInt32(lead & (0xFF >> (length + 1)))
        for offset in 1..<length { value = value << 6 | UInt32(byte(at: index + offset) & 0x3F) }
        return Unicode.Scalar(value).map { ($0, length) }
    }

    static func isASCIIAlphanumeric(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"): true
        default: false
        }
    }

    private static func neighbour(_ scalar: Unicode.Scalar) -> Neighbour {
        if scalar.isASCII {
            let byte = UInt8(scalar.value)
            if isASCIIAlphanumeric(byte) { return .alphanumeric }
            return byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte) ? .space : .other
        }
        let properties = scalar.properties
        if properties.isWhitespace { return .space }
        if properties.isAlphabetic || properties.numericType != nil { return .alphanumeric }
        switch properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return .alphanumeric
        default: return .other
        }
    }
}
