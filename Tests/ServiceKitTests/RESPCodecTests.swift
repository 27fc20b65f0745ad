import NIOCore
@testable import ServiceKit
import Testing

/// Replies from Redis (or anything pretending to be it) are parsed without trusting their lengths.
@Suite struct RESPCodecTests {
    func parse(_ text: String) throws -> RESPValue? {
        var buffer = ByteBuffer(string: text)
        return try RESPCodec.parse(&buffer)
    }

    @Test func wellFormedRepliesParseAndPartialOnesWait() throws {
        #expect(try parse("*2\r\n$3\r\nfoo\r\n:42\r\n") == .array([.bulkString(ByteBuffer(string: "foo")), .integer(42)]))
        #expect(try parse("$-1\r\n") == .bulkString(nil))
        #expect(try parse("*3\r\n:1\r\n") == nil)
        #expect(try parse("$10\r\nabc") == nil)
    }

    @Test func hostileLengthsAndNestingThrowInsteadOfTrapping() throws {
        for reply in [
            "$9223372036854775807\r\n", "$-7\r\n", "*-2\r\n", "$99999999999999999999\r\n",
            String(repeating: "*1\r\n", count: 10_000) + ":1\r\n", "?what\r\n", ":twelve\r\n",
        ] {
            #expect(throws: RedisError.self, "\(reply.prefix(24))") { _ = try parse(reply) }
        }
        // A huge claimed count reserves nothing up front: it just waits for elements.
        #expect(try parse("*2147483647\r\n:1\r\n") == nil)
    }
}
