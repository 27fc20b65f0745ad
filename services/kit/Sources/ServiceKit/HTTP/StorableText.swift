import Foundation
import Hummingbird
import NIOCore

/// Text Postgres can store: no NUL character (its `text` refuses `\u0000`) and no unpaired UTF-16
/// surrogate (which is no character at all). Such text is refused as `validation_failed` naming
/// its field, before it reaches a query, instead of failing there as a 500.
public enum StorableText {
    public static func isStorable(_ text: some StringProtocol) -> Bool {
        !text.utf8.contains(0)
    }

    /// Throws `validation_failed` for `field` unless `text` is storable.
    public static func require(_ text: some StringProtocol, field: String) throws {
        guard isStorable(text) else { throw refusal(field: field) }
    }

    static func refusal(field: String) -> AppError {
        AppError.validation(field: field, "\(field) must not contain NUL characters or unpaired surrogates")
    }

    /// The field (as a client names it: `content`, `items.2.name`, the key itself for a key) of the
    /// first string in a JSON document that holds `\u0000` or an unpaired surrogate escape; nil
    /// when there is none. Bytes that are not JSON end the scan with nil: the decoder refuses them.
    /// One pass, no allocation per byte; only escapes can write such text, so documents without
    /// `\u` are not scanned.
    public static func firstUnstorableField(inJSON bytes: some Collection<UInt8>) -> String? {
        var scanner = JSONTextScanner(bytes: Array(bytes))
        guard scanner.hasUnicodeEscape else { return nil }
        return scanner.firstUnstorableField()
    }
}

/// A minimal JSON walker that follows the path of keys and indices to each string and checks its
/// `\u` escapes; it validates nothing else (the decoder does).
struct JSONTextScanner {
    private let bytes: [UInt8]
    private var index = 0
    /// Per open container: the key or index the scanner is in.
    private var path: [PathComponent] = []

    private enum PathComponent {
        case key(String)
        case index(Int)
        case objectStart

        var text: String? {
            switch self {
            case .key(let key): key
            case .index(let index): String(index)
            case .objectStart: nil
            }
        }
    }

    init(bytes: [UInt8]) {
        self.bytes = bytes
    }

    var hasUnicodeEscape: Bool {
        var previous: UInt8 = 0
        for byte in bytes {
            if previous == UInt8(ascii: "\\") && byte == UInt8(ascii: "u") { return true }
            // `\\u` is an escaped backslash then a `u`: forget the backslash once it was used.
            previous = previous == UInt8(ascii: "\\") ? 0 : byte
        }
        return false
    }

    mutating func firstUnstorableField() -> String? {
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "{"):
                path.append(.objectStart)
                index += 1
            case UInt8(ascii: "["):
                path.append(.index(0))
                index += 1
            case UInt8(ascii: "}"), UInt8(ascii: "]"):
                _ = path.popLast()
                index += 1
            case UInt8(ascii: ","):
                if case .index(let position)? = path.last { path[path.count - 1] = .index(position + 1) }
                index += 1
            case UInt8(ascii: "\""):
                let isKey = isAtKey
                guard let (text, storable) = readString() else { return nil }
                if isKey {
                    guard storable else { return fieldName(appending: text) }
                    path[path.count - 1] = .key(text)
                } else if !storable {
                    return fieldName(appending: nil)
                }
            default:
                index += 1
            }
        }
        return nil
    }

    /// A string in an object where a key is due: right after `{` or after a `,` in an object.
    private var isAtKey: Bool {
        guard let last = path.last else { return false }
        switch last {
        case .objectStart: return true
        case .key:
            // After `,` the next string is a key; after `:` it is the value.
            var back = index - 1
            while back >= 0, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[back]) { back -= 1 }
            return back >= 0 && bytes[back] == UInt8(ascii: ",")
        case .index: return false
        }
    }

    private func fieldName(appending key: String?) -> String {
        let parts = path.compactMap(\.text) + (key.map { [$0] } ?? [])
        return parts.joined(separator: ".")
    }

    /// Reads the string starting at `index` (a `"`): its text with escapes other than `\u` kept
    /// loosely (keys only need to read right), and whether it is storable. Nil when unterminated.
    private mutating func readString() -> (String, Bool)? {
        index += 1
        var text: [UInt8] = []
        var storable = true
        var pendingHighSurrogate = false
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                index += 1
                if pendingHighSurrogate { storable = false }
                return (String(decoding: text, as: UTF8.self), storable)
            }
            guard byte == UInt8(ascii: "\\") else {
                if pendingHighSurrogate { storable = false }
                pendingHighSurrogate = false
                text.append(byte)
                index += 1
                continue
            }
            guard index + 1 < bytes.count else { return nil }
            let escaped = bytes[index + 1]
            guard escaped == UInt8(ascii: "u") else {
                if pendingHighSurrogate { storable = false }
                pendingHighSurrogate = false
                text.append(escaped)
                index += 2
                continue
            }
            guard index + 6 <= bytes.count, let unit = Self.hexValue(bytes[(index + 2)..<(index + 6)]) else { return nil }
            index += 6
            switch unit {
            case 0:
                storable = false
            case 0xD800...0xDBFF:
                if pendingHighSurrogate { storable = false }
                pendingHighSurrogate = true
            case 0xDC00...0xDFFF:
                if !pendingHighSurrogate { storable = false }
                pendingHighSurrogate = false
            default:
                if pendingHighSurrogate { storable = false }
                pendingHighSurrogate = false
                if let scalar = Unicode.Scalar(unit) { text.append(contentsOf: Array(String(scalar).utf8)) }
            }
        }
        return nil
    }

    private static func hexValue(_ digits: ArraySlice<UInt8>) -> UInt32? {
        var value: UInt32 = 0
        for digit in digits {
            let nibble: UInt8
            switch digit {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = digit - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = digit - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = digit - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(nibble)
        }
        return value
    }
}

/// Refuses a query parameter (name or value, percent-decoded) that is not storable text or not
/// UTF-8, with `validation_failed` naming the parameter.
public struct StorableQueryMiddleware<Context: RequestContext>: RouterMiddleware {
    public init() {}

    public func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let query = request.uri.query, query.contains("%") {
            for pair in query.split(separator: "&") {
                let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = Self.decoded(parts[0])
                let value = parts.count > 1 ? Self.decoded(parts[1]) : ""
                let field = name.flatMap { StorableText.isStorable($0) ? $0 : nil } ?? "query"
                guard let name, let value, StorableText.isStorable(name), StorableText.isStorable(value) else {
                    throw StorableText.refusal(field: field)
                }
            }
        }
        return try await next(request, context)
    }

    /// Percent-decoded (`+` stays: it is a space only to `formParameters`); nil when not UTF-8.
    private static func decoded(_ text: Substring) -> String? {
        guard text.contains("%") else { return String(text) }
        return String(text).removingPercentEncoding
    }
}
