import Multipart
import NIOCore
import Testing

/// The multipart reader on its own: bytes in, parts or an error out, whatever the bytes and
/// wherever the chunks are cut.
@Suite struct MultipartReaderTests {
    static let boundary = "b0und"
    static let limits = MultipartReader.Limits(maxParts: 4, maxHeadersPerPart: 4, maxHeaderBytesPerPart: 256)

    struct Part: Equatable {
        var headers: [MultipartHeader]
        var body: [UInt8] = []
        var ended = false
    }

    enum Outcome: Equatable {
        case parts([Part])
        case failed(MultipartError)
    }

    /// Reads `body` in chunks of the given sizes (the rest in one last chunk), then finishes.
    static func read(_ body: [UInt8], chunkSizes: [Int] = [], limits: MultipartReader.Limits = limits) -> Outcome {
        var reader = MultipartReader(boundary: boundary, limits: limits)!
        var parts: [Part] = []
        var rest = body[...]
        var chunks: [ArraySlice<UInt8>] = []
        for size in chunkSizes where !rest.isEmpty {
            chunks.append(rest.prefix(size))
            rest = rest.dropFirst(size)
        }
        chunks.append(rest)
        do throws(MultipartError) {
            for chunk in chunks {
                for event in try reader.read(ByteBuffer(bytes: chunk)) {
                    switch event {
                    case .partStarted(let headers):
                        #expect(parts.last?.ended ?? true, "a part starts before the last one ended")
                        parts.append(Part(headers: headers))
                    case .bodyBytes(let bytes):
                        #expect(parts.last?.ended == false, "body bytes outside a part")
                        if !parts.isEmpty { parts[parts.count - 1].body += bytes.readableBytesView }
                    case .partEnded:
                        #expect(parts.last?.ended == false, "a part ends that did not start")
                        if !parts.isEmpty { parts[parts.count - 1].ended = true }
                    }
                }
            }
            try reader.finish()
        } catch {
            return .failed(error)
        }
        return .parts(parts)
    }

    static func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

    static func header(_ name: String, _ value: String) -> MultipartHeader {
        MultipartHeader(name: name, value: bytes(value))
    }

    /// A body with a preamble, padding after a boundary, a UTF-8 file name, bodies holding what
    /// looks like the start of a delimiter, and an epilogue.
    static let wellFormed = bytes("preamble\r\n--b0und \t\r\n")
        + bytes("Content-Disposition: form-data; name=\"note\"\r\n\r\nhello\r\n--b0un\r\n--b0unD\r\n\r\r\n")
        + bytes("\r\n--b0und\r\nContent-Disposition:   form-data; name=\"file\"; filename=\"été.pdf\"  \r\ncontent-type:image/png\r\n\r\n")
        + [0x00, 0x0D, 0xFF, 0x0D, 0x0A, 0x2D] + bytes("\r\n--b0und--\r\nepilogue \r\n--b0und\r\n")

    static let wellFormedParts = [
        Part(headers: [header("Content-Disposition", "form-data; name=\"note\"")], body: bytes("hello\r\n--b0un\r\n--b0unD\r\n\r\r\n"), ended: true),
        Part(
            headers: [header("Content-Disposition", "form-data; name=\"file\"; filename=\"été.pdf\""), header("content-type", "image/png")],
            body: [0x00, 0x0D, 0xFF, 0x0D, 0x0A, 0x2D], ended: true),
    ]

    @Test func aWellFormedBodyReadsTheSameWhereverItsChunksAreCut() {
        #expect(Self.read(Self.wellFormed) == .parts(Self.wellFormedParts))
        for cut in 0...Self.wellFormed.count {
            #expect(Self.read(Self.wellFormed, chunkSizes: [cut]) == .parts(Self.wellFormedParts), "cut at \(cut)")
        }
        #expect(Self.read(Self.wellFormed, chunkSizes: Array(repeating: 1, count: Self.wellFormed.count)) == .parts(Self.wellFormedParts))
    }

    @Test func aBodyFullOfAlmostDelimitersIsGivenBackWholeOneByteAtATime() {
        let content = Array([[UInt8]](repeating: Self.bytes("\r\n--b0un"), count: 500).joined())
        let body = Self.bytes("--b0und\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\n") + content + Self.bytes("\r\n--b0und--")
        let expected = Outcome.parts([Part(headers: [Self.header("Content-Disposition", "form-data; name=\"file\"")], body: content, ended: true)])
        #expect(Self.read(body) == expected)
        #expect(Self.read(body, chunkSizes: Array(repeating: 1, count: body.count)) == expected)
    }

    @Test func everyByteOf0x80OrMoreOrAControlCharacterInAHeaderNameIsRefused() {
        let refused = Array(0x80...0xFF) + Array(0x00...0x1F) + [0x7F, 0x20, 0x28, 0x2C, 0x2F, 0x3B, 0x40, 0x5B, 0x7B]
        for byte in refused.map(UInt8.init) {
            let body = Self.bytes("--b0und\r\nContent") + [byte] + Self.bytes("-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--b0und--")
            #expect(Self.read(body) == .failed(.invalidHeaderName), "byte \(byte)")
        }
    }

    @Test func aControlCharacterInAHeaderValueIsRefusedWhileUTF8AndTabsPass() {
        for byte in (Array(0x00...0x08) + Array(0x0A...0x0C) + Array(0x0E...0x1F) + [0x7F]).map(UInt8.init) {
            let body = Self.bytes("--b0und\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a") + [byte]
                + Self.bytes(".pdf\"\r\n\r\nx\r\n--b0und--")
            #expect(Self.read(body) == .failed(.invalidHeaderValue), "byte \(byte)")
        }
        let raw: [UInt8] = Self.bytes("form-data; name=\"file\";\tfilename=\"") + [0xC3, 0xA9, 0xFF, 0x80] + Self.bytes(".pdf\"")
        let body = Self.bytes("--b0und\r\nContent-Disposition: ") + raw + Self.bytes("\r\n\r\nx\r\n--b0und--")
        #expect(Self.read(body) == .parts([Part(headers: [MultipartHeader(name: "Content-Disposition", value: raw)], body: Self.bytes("x"), ended: true)]))
    }

    @Test func headerLinesEndWithCRLFAndAreNeverFolded() {
        let cases: [(String, MultipartError)] = [
            ("Content-Type: a\rb\r\n\r\n", .badLineEnding),
            ("Content-Type: a\r\r\n\r\n", .badLineEnding),
            ("Content-Type: a\nContent-Disposition: b\r\n\r\n", .invalidHeaderValue),
            ("Content-Type: a\r\n folded\r\n\r\n", .invalidHeaderName),
            ("\nContent-Type: a\r\n\r\n", .invalidHeaderName),
            ("Content-Type: a\r\n\rx", .badLineEnding),
            ("Content-Type a\r\n\r\n", .invalidHeaderName),
            (": a\r\n\r\n", .invalidHeaderName),
        ]
        for (headers, error) in cases {
            #expect(Self.read(Self.bytes("--b0und\r\n" + headers + "x\r\n--b0und--")) == .failed(error), "\(headers.debugDescription)")
        }
    }

    @Test func aBoundaryLineHoldingMoreThanTheBoundaryIsRefused() {
        let cases: [(String, MultipartError)] = [
            ("--b0undX\r\n\r\nx\r\n--b0und--", .badBoundaryLine),
            ("--b0und-x", .badBoundaryLine),
            ("--b0und \tx\r\n\r\n", .badBoundaryLine),
            ("--b0und \rx", .badLineEnding),
            ("--b0und\r\n\r\nx\r\n--b0undary", .badBoundaryLine),
        ]
        for (body, error) in cases {
            #expect(Self.read(Self.bytes(body)) == .failed(error), "\(body.debugDescription)")
        }
    }

    @Test func overlongOrEndlessHeaderSectionsAreRefusedAtTheLimit() {
        let long = "--b0und\r\nContent-Type: " + String(repeating: "a", count: 300) + "\r\n\r\nx\r\n--b0und--"
        #expect(Self.read(Self.bytes(long)) == .failed(.headersTooLong))
        let padded = "--b0und" + String(repeating: " ", count: 300) + "\r\n\r\nx\r\n--b0und--"
        #expect(Self.read(Self.bytes(padded)) == .failed(.headersTooLong))
        // A header section that never ends is refused once it passes the limit, not when the body ends.
        var reader = MultipartReader(boundary: Self.boundary, limits: Self.limits)!
        var refusedAfter: Int?
        for chunk in 0..<1000 {
            let bytes = chunk == 0 ? Self.bytes("--b0und\r\nX-A: ") : Array(repeating: UInt8(ascii: "a"), count: 100)
            do throws(MultipartError) {
                _ = try reader.read(ByteBuffer(bytes: bytes))
            } catch {
                #expect(error == .headersTooLong)
                refusedAfter = chunk
                break
            }
        }
        #expect(refusedAfter == 3)
    }

    @Test func tooManyPartsOrHeadersAreRefused() {
        let part = "--b0und\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\nx\r\n"
        #expect(Self.read(Self.bytes(String(repeating: part, count: 4) + "--b0und--")).partCount == 4)
        #expect(Self.read(Self.bytes(String(repeating: part, count: 5) + "--b0und--")) == .failed(.tooManyParts))
        let fourHeaders = String(repeating: "X-A: 1\r\n", count: 4)
        #expect(Self.read(Self.bytes("--b0und\r\n" + fourHeaders + "\r\nx\r\n--b0und--")).partCount == 1)
        #expect(Self.read(Self.bytes("--b0und\r\n" + fourHeaders + "X-A: 1\r\n\r\nx\r\n--b0und--")) == .failed(.tooManyHeaders))
    }

    @Test func aBodyThatEndsBeforeItsCloseDelimiterIsUnterminated() {
        // Every cut before the close delimiter's `--`: in the preamble, a boundary line, headers, a body.
        let closed = Self.wellFormed.count - Self.bytes("\r\nepilogue \r\n--b0und\r\n").count
        for length in 0..<closed {
            #expect(Self.read(Array(Self.wellFormed.prefix(length))) == .failed(.unterminated), "cut at \(length)")
        }
        #expect(Self.read(Array(Self.wellFormed.prefix(closed))) == .parts(Self.wellFormedParts))
        #expect(Self.read([]) == .failed(.unterminated))
    }

    @Test func onlyRFC2046BoundariesAreAccepted() {
        for boundary in ["", String(repeating: "a", count: 71), "ab ", "a\u{E9}", "a\"b", "a;b", "a\u{0}b", "a\r\nb"] {
            #expect(MultipartReader(boundary: boundary, limits: Self.limits) == nil, "\(boundary.debugDescription)")
        }
        for boundary in ["a", String(repeating: "a", count: 70), "----WebKitFormBoundary7MA4YWxkTrZu0gW", "a b", "'()+_,-./:=?"] {
            #expect(MultipartReader(boundary: boundary, limits: Self.limits) != nil, "\(boundary.debugDescription)")
        }
    }

    /// Damaged copies of a well-formed body, each read whole and in random chunks: the outcome
    /// (parts or error) never depends on where the chunks are cut, and nothing traps.
    @Test func damagedBodiesReadTheSameInAnyChunks() {
        var random = SplitMix64(seed: 15)
        for _ in 0..<2000 {
            var body = Self.wellFormed
            for _ in 0...random.next(below: 3) {
                body[random.next(below: body.count)] = UInt8(random.next(below: 256))
            }
            let chunkSizes = (0..<8).map { _ in 1 + random.next(below: 40) }
            #expect(Self.read(body, chunkSizes: chunkSizes) == Self.read(body), "\(body)")
        }
    }
}

extension MultipartReaderTests.Outcome {
    var partCount: Int? {
        guard case .parts(let parts) = self else { return nil }
        return parts.count
    }
}

/// A small deterministic generator, so a failing case can be replayed.
struct SplitMix64 {
    var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next(below bound: Int) -> Int {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
