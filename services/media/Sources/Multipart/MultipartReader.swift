import NIOCore

/// Reads a `multipart/form-data` body (RFC 7578 on RFC 2046 §5.1) as it streams in, in chunks of
/// any size: bytes in, each part's header section and body bytes out, or a `MultipartError`.
///
/// A pure component (no I/O, no clock, nothing but `ByteBuffer`), so a fuzzer can drive it: for
/// every input it either returns events or throws. Every byte is looked at once or twice, and
/// what it keeps is bounded by `Limits`: no input makes it trap, hang or grow, however the chunks
/// are cut. Header bytes are checked against the grammar before anything else sees them.
///
/// After a thrown error the body is malformed and the reader must not be fed again.
public struct MultipartReader {
    public enum Event: Equatable, Sendable {
        /// A part begins; its header section is complete.
        case partStarted([MultipartHeader])
        /// The next bytes of the current part's body (slices of the chunks read, where they can be).
        case bodyBytes(ByteBuffer)
        /// The current part's body is complete.
        case partEnded
    }

    /// How much structure a body may have (its size is the caller's to limit).
    public struct Limits: Sendable, Equatable {
        public var maxParts: Int
        public var maxHeadersPerPart: Int
        /// A part's header section, with the padding of the boundary line before it.
        public var maxHeaderBytesPerPart: Int

        public init(maxParts: Int, maxHeadersPerPart: Int, maxHeaderBytesPerPart: Int) {
            self.maxParts = maxParts
            self.maxHeadersPerPart = maxHeadersPerPart
            self.maxHeaderBytesPerPart = maxHeaderBytesPerPart
        }
    }

    private enum State {
        /// Before the first delimiter: skipped.
        case preamble
        /// Just past a delimiter: `--` closes the body, anything else is the rest of a line that starts a part.
        case afterDelimiter
        /// Past a delimiter and one `-`: the second must follow.
        case closing
        /// Transport padding (spaces and tabs) up to the CRLF that ends a boundary line.
        case boundaryLine(sawCR: Bool)
        case headers
        case body
        /// After the close delimiter: ignored.
        case epilogue
    }

    /// `CRLF--boundary`. Only its first byte is a CR (boundaries hold none), which the search relies on.
    private let delimiter: [UInt8]
    private let limits: Limits
    private var state = State.preamble
    private var parts = 0
    /// The header section of the part being started.
    private var section = HeaderSection()
    /// How many bytes of a delimiter the end of the chunks so far matched: a delimiter perhaps cut
    /// by a chunk's end. They are the delimiter's own first bytes, so only their count is kept.
    /// The body is read as if a CRLF came before it, so that a delimiter at its very start matches.
    private var partialMatch = 2

    /// Nil unless `boundary` is 1 to 70 of RFC 2046's `bchars`, not ending in a space.
    public init?(boundary: some StringProtocol, limits: Limits) {
        let bytes = Array(boundary.utf8)
        guard (1...70).contains(bytes.count), bytes.allSatisfy(\.isBoundaryCharacter), bytes.last != .space else { return nil }
        delimiter = [.cr, .lf, .hyphen, .hyphen] + bytes
        self.limits = limits
    }

    /// Takes the next chunk of the body; returns what it completed.
    public mutating func read(_ chunk: ByteBuffer) throws(MultipartError) -> [Event] {
        var input = chunk
        var events: [Event] = []
        while let byte = input.getInteger(at: input.readerIndex, as: UInt8.self) {
            switch state {
            case .preamble:
                if scanForDelimiter(&input).found { state = .afterDelimiter }
            case .body:
                let (before, found) = scanForDelimiter(&input)
                events += before.filter { $0.readableBytes > 0 }.map(Event.bodyBytes)
                if found {
                    events.append(.partEnded)
                    state = .afterDelimiter
                }
            case .afterDelimiter:
                if byte == .hyphen {
                    input.moveReaderIndex(forwardBy: 1)
                    state = .closing
                } else {
                    // The byte is the boundary line's: read again in that state.
                    parts += 1
                    guard parts <= limits.maxParts else { throw .tooManyParts }
                    section = HeaderSection()
                    state = .boundaryLine(sawCR: false)
                }
            case .closing:
                guard byte == .hyphen else { throw .badBoundaryLine }
                input.moveReaderIndex(forwardBy: 1)
                state = .epilogue
            case .boundaryLine(let sawCR):
                input.moveReaderIndex(forwardBy: 1)
                try section.count(byte, limits: limits)
                if sawCR {
                    guard byte == .lf else { throw .badLineEnding }
                    state = .headers
                } else if byte == .cr {
                    state = .boundaryLine(sawCR: true)
                } else {
                    guard byte == .space || byte == .tab else { throw .badBoundaryLine }
                }
            case .headers:
                input.moveReaderIndex(forwardBy: 1)
                if try section.take(byte, limits: limits) {
                    events.append(.partStarted(section.headers))
                    state = .body
                }
            case .epilogue:
                return events
            }
        }
        return events
    }

    /// Call when the body has ended: throws unless the close delimiter came.
    public func finish() throws(MultipartError) {
        guard case .epilogue = state else { throw .unterminated }
    }

    /// Reads `input` up to the next delimiter, or to its end when there is none, and returns the
    /// body bytes before it: first the start of a delimiter held back from the last chunk when it
    /// was not one after all, then a slice of `input`. When found, `input` continues after the
    /// delimiter. Each byte is compared at most twice.
    private mutating func scanForDelimiter(_ input: inout ByteBuffer) -> (before: [ByteBuffer], found: Bool) {
        let delimiter = self.delimiter
        let held = partialMatch
        let outcome = input.withUnsafeReadableBytes { bytes -> ScanOutcome in
            var start = 0
            if held > 0 {
                while held + start < delimiter.count, start < bytes.count, bytes[start] == delimiter[held + start] { start += 1 }
                if held + start == delimiter.count { return .completesHeld(length: start) }
                if start == bytes.count { return .extendsHeld }
                // The bytes matched so far hold no CR, so no delimiter starts among them.
            }
            while start < bytes.count {
                guard bytes[start] == .cr else {
                    start += 1
                    continue
                }
                let comparable = min(bytes.count - start, delimiter.count)
                var matched = 1
                while matched < comparable, bytes[start + matched] == delimiter[matched] { matched += 1 }
                if matched == delimiter.count { return .found(start: start) }
                if matched == comparable { return .cut(start: start) }
                start += matched
            }
            return .absent
        }
        switch outcome {
        case .completesHeld(let length):
            input.moveReaderIndex(forwardBy: length)
            partialMatch = 0
            return ([], true)
        case .extendsHeld:
            partialMatch += input.readableBytes
            input.moveReaderIndex(forwardBy: input.readableBytes)
            return ([], false)
        case .found(let start):
            let before = heldBack(held) + [input.readSlice(length: start)!]
            input.moveReaderIndex(forwardBy: delimiter.count)
            partialMatch = 0
            return (before, true)
        case .cut(let start):
            let before = heldBack(held) + [input.readSlice(length: start)!]
            partialMatch = input.readableBytes
            input.moveReaderIndex(forwardBy: input.readableBytes)
            return (before, false)
        case .absent:
            partialMatch = 0
            return (heldBack(held) + [input.readSlice(length: input.readableBytes)!], false)
        }
    }

    /// The first `count` bytes of the delimiter, held back and found to be body.
    private func heldBack(_ count: Int) -> [ByteBuffer] {
        count > 0 ? [ByteBuffer(bytes: delimiter[..<count])] : []
    }

    private enum ScanOutcome {
        /// The held-back bytes and the first `length` of the input are a delimiter.
        case completesHeld(length: Int)
        /// The held-back bytes and the whole input may still begin a delimiter.
        case extendsHeld
        /// A delimiter starts at `start`.
        case found(start: Int)
        /// What starts at `start` may begin a delimiter cut by the input's end.
        case cut(start: Int)
        case absent
    }
}

/// One header of a part: its name (an RFC 9110 token, so ASCII) and its value's bytes, without
/// the whitespace around them. A value holds no control character but tab; bytes of 0x80 and
/// above pass through (RFC 7578 file names are UTF-8), and whether they are UTF-8 is the
/// caller's to check.
public struct MultipartHeader: Equatable, Sendable {
    public let name: String
    public let value: [UInt8]

    public init(name: String, value: [UInt8]) {
        self.name = name
        self.value = value
    }
}

/// A part's header section, read byte by byte: `name: value` lines ended by CRLF, then an empty line.
private struct HeaderSection {
    private(set) var headers: [MultipartHeader] = []
    private var usedBytes = 0
    private var name: [UInt8] = []
    private var value: [UInt8] = []
    private var position = Position.lineStart

    private enum Position {
        case lineStart, name, value
        /// After a CR: the LF must follow. It ends the section when the line was empty.
        case lineEnd(endsSection: Bool)
    }

    /// Counts a byte of the section (or of the boundary line before it) against the limit.
    mutating func count(_ byte: UInt8, limits: MultipartReader.Limits) throws(MultipartError) {
        usedBytes += 1
        guard usedBytes <= limits.maxHeaderBytesPerPart else { throw .headersTooLong }
    }

    /// Takes one byte; true when it completed the section.
    mutating func take(_ byte: UInt8, limits: MultipartReader.Limits) throws(MultipartError) -> Bool {
        try count(byte, limits: limits)
        switch position {
        case .lineStart:
            if byte == .cr {
                position = .lineEnd(endsSection: true)
            } else {
                // A space or tab here would continue the previous line (obsolete folding): refused.
                guard byte.isTokenCharacter else { throw .invalidHeaderName }
                name.append(byte)
                position = .name
            }
        case .name:
            if byte == .colon {
                position = .value
            } else {
                guard byte.isTokenCharacter else { throw .invalidHeaderName }
                name.append(byte)
            }
        case .value:
            if byte == .cr {
                position = .lineEnd(endsSection: false)
            } else if (byte == .space || byte == .tab) && value.isEmpty {
                // Whitespace before the value is not part of it.
            } else {
                guard byte.isHeaderValueByte else { throw .invalidHeaderValue }
                value.append(byte)
            }
        case .lineEnd(let endsSection):
            guard byte == .lf else { throw .badLineEnding }
            if endsSection { return true }
            while let last = value.last, last == .space || last == .tab { value.removeLast() }
            headers.append(MultipartHeader(name: String(decoding: name, as: UTF8.self), value: value))
            guard headers.count <= limits.maxHeadersPerPart else { throw .tooManyHeaders }
            name = []
            value = []
            position = .lineStart
        }
        return false
    }
}

/// Why a body is not well-formed multipart.
public enum MultipartError: Error, Equatable, Sendable {
    /// A header name holds a byte that is not a token character (a space, a control character,
    /// a byte of 0x80 or more), or a header line starts with whitespace.
    case invalidHeaderName
    /// A header value holds a control character other than tab (NUL and DEL included).
    case invalidHeaderValue
    /// A CR without its LF, or an LF alone.
    case badLineEnding
    /// A delimiter followed by something other than `--`, or padding and CRLF.
    case badBoundaryLine
    case headersTooLong
    case tooManyHeaders
    case tooManyParts
    /// The body ended before its close delimiter.
    case unterminated

    /// What the client is told.
    public var message: String {
        switch self {
        case .invalidHeaderName: "a part's header name holds a character not allowed there"
        case .invalidHeaderValue: "a part's header value holds a control character"
        case .badLineEnding: "a part's header lines must end with CRLF"
        case .badBoundaryLine: "a boundary line holds more than the boundary"
        case .headersTooLong: "a part's headers are too long"
        case .tooManyHeaders: "a part has too many headers"
        case .tooManyParts: "the body has too many parts"
        case .unterminated: "the body ended before its closing boundary"
        }
    }
}

extension UInt8 {
    fileprivate static let tab: UInt8 = 0x09
    fileprivate static let lf: UInt8 = 0x0A
    fileprivate static let cr: UInt8 = 0x0D
    fileprivate static let space: UInt8 = 0x20
    fileprivate static let hyphen: UInt8 = 0x2D
    fileprivate static let colon: UInt8 = 0x3A

    private static let tokenPunctuation = Array("!#$%&'*+-.^_`|~".utf8)
    private static let boundaryPunctuation = Array("'()+_,-./:=? ".utf8)

    private var isAlphanumeric: Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(self) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(self)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(self)
    }

    /// RFC 9110's `tchar`.
    fileprivate var isTokenCharacter: Bool {
        isAlphanumeric || Self.tokenPunctuation.contains(self)
    }

    /// Tab, space, visible ASCII, and bytes of 0x80 or more (obs-text; UTF-8 here).
    fileprivate var isHeaderValueByte: Bool {
        self == .tab || (0x20...0x7E).contains(self) || self >= 0x80
    }

    /// RFC 2046's `bchars`.
    fileprivate var isBoundaryCharacter: Bool {
        isAlphanumeric || Self.boundaryPunctuation.contains(self)
    }
}
