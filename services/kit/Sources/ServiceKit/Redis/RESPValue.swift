import NIOCore

/// A RESP2 value as Redis sends it.
public enum RESPValue: Sendable, Equatable {
    case simpleString(String)
    case error(String)
    case integer(Int)
    /// nil is the null bulk string (a missing key).
    case bulkString(ByteBuffer?)
    /// nil is the null array (a timed-out blocking call).
    case array([RESPValue]?)

    /// The value as text, for replies that are strings or integers.
    public var string: String? {
        switch self {
        case .simpleString(let text): return text
        case .bulkString(let buffer?): return String(buffer: buffer)
        case .integer(let value): return String(value)
        default: return nil
        }
    }

    public var int: Int? {
        switch self {
        case .integer(let value): return value
        case .bulkString(let buffer?): return Int(String(buffer: buffer))
        case .simpleString(let text): return Int(text)
        default: return nil
        }
    }

    public var isNull: Bool {
        self == .bulkString(nil) || self == .array(nil)
    }

    public var array: [RESPValue]? {
        if case .array(let values) = self { return values }
        return nil
    }
}

public struct RedisError: Error, Sendable, CustomStringConvertible {
    public let message: String
    /// True when Redis could not be reached or the connection dropped, as opposed to Redis
    /// answering with an error: the first makes a request 503, the second is a bug.
    public var isConnectionFailure = false
    public var description: String { "redis: \(message)" }
}

/// RESP2 wire format: commands go out as arrays of bulk strings; replies are parsed incrementally.
enum RESPCodec {
    static func encode(command: [String], into buffer: inout ByteBuffer) {
        buffer.writeString("*\(command.count)\r\n")
        for argument in command {
            buffer.writeString("$\(argument.utf8.count)\r\n")
            buffer.writeString(argument)
            buffer.writeString("\r\n")
        }
    }

    /// Redis's own limit for one bulk string (`proto-max-bulk-len`).
    static let maxBulkLength = 512 * 1024 * 1024
    /// Arrays nest this deep at most; deeper is no reply Parley asks for, and unbounded nesting
    /// would overflow the stack.
    static let maxDepth = 16

    /// Parses one value from the front of `buffer`, consuming it; nil when more bytes are needed.
    /// Whatever the bytes, it returns or throws: lengths are checked before use.
    static func parse(_ buffer: inout ByteBuffer) throws -> RESPValue? {
        var copy = buffer
        guard let value = try parseValue(&copy, depth: 0) else { return nil }
        buffer = copy
        return value
    }

    private static func parseValue(_ buffer: inout ByteBuffer, depth: Int) throws -> RESPValue? {
        guard let marker = buffer.getInteger(at: buffer.readerIndex, as: UInt8.self) else { return nil }
        var peek = buffer
        peek.moveReaderIndex(forwardBy: 1)
        guard let line = readLine(&peek) else { return nil }
        switch marker {
        case UInt8(ascii: "+"):
            buffer = peek
            return .simpleString(line)
        case UInt8(ascii: "-"):
            buffer = peek
            return .error(line)
        case UInt8(ascii: ":"):
            guard let value = Int(line) else { throw RedisError(message: "bad integer reply") }
            buffer = peek
            return .integer(value)
        case UInt8(ascii: "$"):
            guard let length = Int(line), (-1...maxBulkLength).contains(length) else { throw RedisError(message: "bad bulk length") }
            if length < 0 {
                buffer = peek
                return .bulkString(nil)
            }
            guard peek.readableBytes >= length + 2, let bytes = peek.readSlice(length: length) else { return nil }
            peek.moveReaderIndex(forwardBy: 2)
            buffer = peek
            return .bulkString(bytes)
        case UInt8(ascii: "*"):
            guard let count = Int(line), count >= -1, depth < maxDepth else { throw RedisError(message: "bad array length or nesting") }
            if count < 0 {
                buffer = peek
                return .array(nil)
            }
            var elements: [RESPValue] = []
            // Each element takes at least 3 bytes: a claimed count cannot reserve more than that.
            elements.reserveCapacity(min(count, peek.readableBytes / 3))
            for _ in 0..<count {
                guard let element = try parseValue(&peek, depth: depth + 1) else { return nil }
                elements.append(element)
            }
            buffer = peek
            return .array(elements)
        default:
            throw RedisError(message: "unknown reply type")
        }
    }

    private static func readLine(_ buffer: inout ByteBuffer) -> String? {
        let view = buffer.readableBytesView
        guard let end = view.firstIndex(of: UInt8(ascii: "\r")), end + 1 < view.endIndex,
            view[end + 1] == UInt8(ascii: "\n")
        else { return nil }
        let line = buffer.readString(length: end - view.startIndex)
        buffer.moveReaderIndex(forwardBy: 2)
        return line
    }
}
