import Foundation
import ServiceKit
import Testing

/// `JSONValue(parsing:)` reads what RFC 8259 allows, exactly, and nothing else; checked against
/// Foundation's `JSONSerialization`, the parser it replaced, where the two should agree.
@Suite struct JSONParserTests {
    @Test(arguments: [
        ("null", JSONValue.null), ("true", .bool(true)), ("false", .bool(false)), ("0", .number(0)), ("-0.5", .number(-0.5)),
        ("1e3", .number(1000)), ("12.5E-1", .number(1.25)), ("\"\"", .string("")), ("[]", .array([])), ("{}", .object([:])),
        (" \t\r\n[1, \"two\" ,{\"three\":[null]}]\n", .array([.number(1), .string("two"), .object(["three": .array([.null])])])),
        (#""a\"b\\c\/d\b\f\n\r\t""#, .string("a\"b\\c/d\u{08}\u{0C}\n\r\t")),
        (#""\u00e9\u20AC\ud83d\ude00 é€😀""#, .string("é€😀 é€😀")),
        (#"{"k":1,"k":2}"#, .object(["k": .number(2)])),
        ("123456789012345", .number(123_456_789_012_345)),
    ])
    func readsValidJSON(text: String, expected: JSONValue) throws {
        #expect(try JSONValue(parsing: text) == expected)
        #expect(try JSONValue(parsing: Data(text.utf8)) == expected)
    }

    @Test(arguments: [
        "", " ", "nul", "tru", "True", "[1,]", "{\"a\":1,}", "[1 2]", "{\"a\" 1}", "{a:1}", "{\"a\":}", "01", "-", "1.", ".5", "1e",
        "+1", "0x10", "1e400", "NaN", "Infinity", "\"abc", "\"\\x\"", "\"\\u12\"", "\"\\ud800\"", "\"\\ud800\\u0041\"",
        "\"\\udc00\"", "\"tab\there\"", "[", "]", "{", "}", "[]]", "{} {}", "1 2", "'single'", "[1,,2]", "//comment\n1",
    ])
    func refusesWhatIsNotJSON(text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func refusesInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: Data([0x22, 0xC3, 0x28, 0x22])) }
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: Data([0x22, 0xFF, 0x22])) }
    }

    @Test func refusesNestingPastTheLimit() throws {
        let deep = String(repeating: "[", count: 300) + String(repeating: "]", count: 300)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
        let allowed = String(repeating: "[", count: 200) + String(repeating: "]", count: 200)
        _ = try JSONValue(parsing: allowed)
    }

    /// Random trees written as text (by `jsonText` and by Foundation) read back as the same trees,
    /// and as `JSONSerialization` reads them.
    @Test func readsBackWhatIsWritten() throws {
        var generator = SeededGenerator(seed: 0x5EED)
        for _ in 0..<500 {
            let value = JSONValue.random(depth: 4, using: &generator)
            #expect(try JSONValue(parsing: value.jsonText) == value)
            let foundation = try JSONSerialization.data(withJSONObject: value.foundationObject, options: [.fragmentsAllowed])
            #expect(try JSONValue(parsing: foundation) == value)
        }
    }
}

/// A small deterministic generator (SplitMix64), so a failure repeats.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

extension JSONValue {
    static func random(depth: Int, using generator: inout SeededGenerator) -> JSONValue {
        let kinds = depth > 0 ? 6 : 4
        switch Int.random(in: 0..<kinds, using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2:
            // Whole numbers, and fractions that print and read back exactly.
            return Bool.random(using: &generator)
                ? .number(Double(Int.random(in: -1_000_000...1_000_000, using: &generator)))
                : .number(Double(Int.random(in: -10000...10000, using: &generator)) / 64)
        case 3: return .string(randomString(using: &generator))
        case 4: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in random(depth: depth - 1, using: &generator) })
        default:
            var object: [String: JSONValue] = [:]
            for _ in 0..<Int.random(in: 0...4, using: &generator) { object[randomString(using: &generator)] = random(depth: depth - 1, using: &generator) }
            return .object(object)
        }
    }

    private static func randomString(using generator: inout SeededGenerator) -> String {
        let pieces = ["a", "Zz", " ", "\"", "\\", "/", "\n", "\t", "\u{01}", "\u{1F}", "é", "€", "😀", "\u{2028}", "日本", "\u{7F}"]
        return (0..<Int.random(in: 0...6, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }.joined()
    }

    /// The tree as `JSONSerialization` objects.
    var foundationObject: Any {
        switch self {
        case .null: NSNull()
        case .bool(let value): value
        case .number(let value): value
        case .string(let value): value
        case .array(let values): values.map(\.foundationObject)
        case .object(let object): object.mapValues(\.foundationObject)
        }
    }
}
