/// Finds the next position, at or after a given one, where a stop of one kind stands (a fence, a
/// closing backtick, the end of a link's label or of its URL), remembering how far it has looked.
/// Asked from positions that never decrease, it looks at each byte of its stretch a bounded number
/// of times in all, however often it is asked: a look ahead that cannot turn quadratic.
struct NextStop {
    enum Kind {
        /// "```", which opens and closes a code block.
        case fence
        /// "`", which closes a code span.
        case backtick
        /// What ends a link's label: `]`, or a newline or a backtick, which no label holds.
        case labelEnd
        /// What ends a link's URL: `)`, or whitespace or a backtick, which no URL holds.
        case urlEnd
    }

    private let kind: Kind
    private let end: Int
    /// The last stop found; nil when none was found yet or none remains.
    private var found: Int?
    /// Where the last search stopped looking: no stop lies before it but `found`.
    private var searched: Int

    init(_ kind: Kind, in range: Range<Int>) {
        self.kind = kind
        self.end = range.upperBound
        self.searched = range.lowerBound
    }

    /// The first stop at or after `start`, which must not be less than any earlier call's.
    mutating func next(from start: Int, in source: inout MarkdownSource) -> Int? {
        if let found, found >= start { return found }
        var position = max(start, searched)
        while position < end {
            if isStop(at: position, in: &source) {
                found = position
                searched = position + 1
                return position
            }
            position += 1
        }
        found = nil
        searched = end
        return nil
    }

    private func isStop(at position: Int, in source: inout MarkdownSource) -> Bool {
        let byte = source.byte(at: position)
        switch kind {
        case .fence:
            return byte == UInt8(ascii: "`") && position + 2 < end
                && source.byte(at: position + 1) == UInt8(ascii: "`") && source.byte(at: position + 2) == UInt8(ascii: "`")
        case .backtick:
            return byte == UInt8(ascii: "`")
        case .labelEnd:
            return byte == UInt8(ascii: "]") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "`")
        case .urlEnd:
            return byte == UInt8(ascii: ")") || byte == UInt8(ascii: "`") || source.isWhitespace(at: position, before: end)
        }
    }
}
