/// A JSON text (RFC 8259, UTF-8) read straight into a `JSONValue`.
///
/// Every event crosses several services and is parsed at each: Foundation's `JSONSerialization`
/// builds Objective-C-style objects that then have to be cast back, and that showed as the
/// largest single cost in the gateway's profile. This reads the bytes once, in one pass.
/// Strict: anything RFC 8259 does not allow (a trailing comma, a lone surrogate escape, invalid
/// UTF-8, text after the value) is an error; duplicate keys keep the last value.
struct JSONParser: ~Copyable {
    /// Deeper nesting is refused rather than risk the stack (events are a few levels deep).
    static let maxDepth = 256

    private let bytes: UnsafeBufferPointer<UInt8>
    private var index = 0
    private var depth = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    /// The one value the whole text holds.
    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue()
        skipWhitespace()
        guard index == bytes.count else { throw error("text after the value") }
        return value
    }

    private mutating func parseValue() throws(JSONParseError) -> JSONValue {
        guard index < bytes.count else { throw error("a value was expected") }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try parseObject()
        case UInt8(ascii: "["): return try parseArray()
        case UInt8(ascii: "\""): return .string(try parseString())
        case UInt8(ascii: "t"): try expect("true"); return .bool(true)
        case UInt8(ascii: "f"): try expect("false"); return .bool(false)
        case UInt8(ascii: "n"): try expect("null"); return .null
        default: return .number(try parseNumber())
        }
    }

    private mutating func parseObject() throws(JSONParseError) -> JSONValue {
        try descend()
        index += 1
        var object: [String: JSONValue] = [:]
        skipWhitespace()
        if consume(UInt8(ascii: "}")) {
            depth -= 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { throw error("a key was expected") }
            let key = try parseString()
            skipWhitespace()
            guard consume(UInt8(ascii: ":")) else { throw error("':' was expected") }
            skipWhitespace()
            object[key] = try parseValue()
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            guard consume(UInt8(ascii: "}")) else { throw error("',' or '}' was expected") }
            depth -= 1
            return .object(object)
        }
    }

    private mutating func parseArray() throws(JSONParseError) -> JSONValue {
        try descend()
        index += 1
        var array: [JSONValue] = []
        skipWhitespace()
        if consume(UInt8(ascii: "]")) {
            depth -= 1
            return .array(array)
        }
        while true {
            skipWhitespace()
            array.append(try parseValue())
            skipWhitespace()
            if consume(UInt8(ascii: ",")) { continue }
            guard consume(UInt8(ascii: "]")) else { throw error("',' or ']' was expected") }
            depth -= 1
            return .array(array)
        }
    }

    /// A string starting at its opening quote. Runs without escapes are taken whole.
    private mutating func parseString() throws(JSONParseError) -> String {
        index += 1
        var result = ""
        var runStart = index
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                try append(run: runStart..<index, to: &result)
                index += 1
                return result
            }
            if byte == UInt8(ascii: "\\") {
                try append(run: runStart..<index, to: &result)
                index += 1
                try parseEscape(into: &result)
                runStart = index
                continue
            }
            guard byte >= 0x20 else { throw error("a control character in a string") }
            index += 1
        }
        throw error("an unterminated string")
    }

    private func append(run: Range<Int>, to result: inout String) throws(JSONParseError) {
        guard !run.isEmpty else { return }
        guard let text = String(validating: UnsafeBufferPointer(rebasing: bytes[run]), as: UTF8.self) else {
            throw error("invalid UTF-8")
        }
        result += text
    }

    /// The escape after a backslash.
    private mutating func parseEscape(into result: inout String) throws(JSONParseError) {
        guard index < bytes.count else { throw error("an unterminated escape") }
        let byte = bytes[index]
        index += 1
        switch byte {
        case UInt8(ascii: "\""): result += "\""
        case UInt8(ascii: "\\"): result += "\\"
        case UInt8(ascii: "/"): result += "/"
        case UInt8(ascii: "b"): result += "\u{08}"
        case UInt8(ascii: "f"): result += "\u{0C}"
        case UInt8(ascii: "n"): result += "\n"
        case UInt8(ascii: "r"): result += "\r"
        case UInt8(ascii: "t"): result += "\t"
        case UInt8(ascii: "u"):
            let unit = try parseHex4()
            var scalar: Unicode.Scalar?
            if (0xD800..<0xDC00).contains(unit) {
                // A high surrogate: only with the low one after it is it a character.
                guard consume(UInt8(ascii: "\\")), consume(UInt8(ascii: "u")) else { throw error("a lone surrogate") }
                let low = try parseHex4()
                guard (0xDC00..<0xE000).contains(low) else { throw error("a lone surrogate") }
                scalar = Unicode.Scalar(0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00))
            } else {
                scalar = Unicode.Scalar(unit)
            }
            guard let scalar else { throw error("a lone surrogate") }
            result.unicodeScalars.append(scalar)
        default:
            throw error("an unknown escape")
        }
    }

    private mutating func parseHex4() throws(JSONParseError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw error("a short \\u escape") }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw error("a bad \\u escape")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, checked here, converted by `Double`.
    private mutating func parseNumber() throws(JSONParseError) -> Double {
        let start = index
        _ = consume(UInt8(ascii: "-"))
        if consume(UInt8(ascii: "0")) {
            // No leading zeros.
        } else {
            guard skipDigits() > 0 else { throw error("a value was expected") }
        }
        if consume(UInt8(ascii: ".")) {
            guard skipDigits() > 0 else { throw error("a digit was expected after '.'") }
        }
        if consume(UInt8(ascii: "e")) || consume(UInt8(ascii: "E")) {
            if !consume(UInt8(ascii: "+")) { _ = consume(UInt8(ascii: "-")) }
            guard skipDigits() > 0 else { throw error("a digit was expected in the exponent") }
        }
        // ASCII only, so the text is valid UTF-8.
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let number = Double(text), number.isFinite else { throw error("a number out of range") }
        return number
    }

    private mutating func skipDigits() -> Int {
        let start = index
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") { index += 1 }
        return index - start
    }

    private mutating func expect(_ word: StaticString) throws(JSONParseError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw error("a value was expected") }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] { throw error("a value was expected") }
        index += count
    }

    private mutating func descend() throws(JSONParseError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw error("nested too deep") }
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard index < bytes.count, bytes[index] == byte else { return false }
        index += 1
        return true
    }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"): index += 1
            default: return
            }
        }
    }

    private func error(_ problem: String) -> JSONParseError {
        JSONParseError(problem: problem, offset: index)
    }
}

/// Why a text is not JSON, and where (a byte offset).
public struct JSONParseError: Error, CustomStringConvertible, Equatable {
    public let problem: String
    public let offset: Int

    public var description: String { "not JSON: \(problem) at byte \(offset)" }
}
