/// One line's HTML with its emphasis delimiters (runs of `*`, `_` or `~`) left pending until the
/// line ends, then matched the way CommonMark's "process emphasis" does (without its rule of three,
/// which nothing here needs): each run that may close looks back for the nearest run of its marker
/// that may open. A match leaves every run between the two as text, and a closer that finds no
/// opener raises its marker's floor, below which no later closer of that marker looks: each run is
/// visited a bounded number of times. Matched pairs nest properly; what is left is shown as text.
///
/// `*` and `_` need a word boundary outside (`snake_case` and `2*3*4` stay text): one makes `em`,
/// two `strong`. `~` needs two, for `del`, and may stand inside a word.
struct EmphasisLine {
    /// The HTML written so far since the line's last run, the runs' places marked by `Run.offset`.
    var html: [UInt8] = []
    private var runs: [Run] = []
    /// Whether a run of `_` that may open waits on this line: a mention before `_` leaves it the `_`.
    private(set) var hasUnderscoreOpener = false

    private enum Tag {
        case em, strong, del

        var opening: String {
            switch self {
            case .em: "<em>"
            case .strong: "<strong>"
            case .del: "<del>"
            }
        }

        var closing: String {
            switch self {
            case .em: "</em>"
            case .strong: "</strong>"
            case .del: "</del>"
            }
        }
    }

    private struct Run {
        let marker: UInt8
        /// Markers not used by a match, shown as text.
        var count: Int
        let canOpen: Bool
        let canClose: Bool
        /// Where in `html` the run stands.
        let offset: Int
        /// The tags the run closes and the ones it opens, innermost first each.
        var closes: [Tag] = []
        var opens: [Tag] = []
        /// The runs before and after it that are still waiting to be matched.
        var previous: Int?
        var next: Int?
    }

    /// A run of `length` markers between `before` and `after`: kept for matching when it may open
    /// or close, else written as text.
    mutating func appendRun(of marker: UInt8, length: Int, before: MarkdownSource.Neighbour, after: MarkdownSource.Neighbour) {
        let touchesTextAfter = after == .alphanumeric || after == .other
        let touchesTextBefore = before == .alphanumeric || before == .other
        let needsWordBoundary = marker != UInt8(ascii: "~")
        let canOpen = touchesTextAfter && !(needsWordBoundary && before == .alphanumeric)
        let canClose = touchesTextBefore && !(needsWordBoundary && after == .alphanumeric)
        guard length >= Self.minimumLength(of: marker), canOpen || canClose else {
            html.append(contentsOf: repeatElement(marker, count: length))
            return
        }
        runs.append(Run(marker: marker, count: length, canOpen: canOpen, canClose: canClose, offset: html.count))
        if marker == UInt8(ascii: "_") && canOpen { hasUnderscoreOpener = true }
    }

    /// Matches the line's runs and writes the line to `output`; the line is empty again after.
    mutating func finish(into output: inout [UInt8], _ source: inout MarkdownSource) {
        matchRuns(&source)
        var written = 0
        for run in runs {
            output.append(contentsOf: html[written..<run.offset])
            written = run.offset
            for tag in run.closes { output.append(contentsOf: tag.closing.utf8) }
            output.append(contentsOf: repeatElement(run.marker, count: run.count))
            for tag in run.opens.reversed() { output.append(contentsOf: tag.opening.utf8) }
        }
        output.append(contentsOf: html[written...])
        html.removeAll(keepingCapacity: true)
        runs.removeAll(keepingCapacity: true)
        hasUnderscoreOpener = false
    }

    private mutating func matchRuns(_ source: inout MarkdownSource) {
        for index in runs.indices {
            runs[index].previous = index > 0 ? index - 1 : nil
            runs[index].next = index + 1 < runs.count ? index + 1 : nil
        }
        // Per marker (`*`, `_`, `~`): openers at or below this run are not looked at again.
        var floors = [-1, -1, -1]
        var current: Int? = runs.isEmpty ? nil : 0
        while let closer = current {
            source.countVisit()
            let marker = runs[closer].marker
            guard runs[closer].canClose else {
                current = runs[closer].next
                continue
            }
            let floor = Self.floorIndex(of: marker)
            var candidate = runs[closer].previous
            var found: Int?
            while let index = candidate, index > floors[floor] {
                source.countVisit()
                if runs[index].marker == marker && runs[index].canOpen {
                    found = index
                    break
                }
                candidate = runs[index].previous
            }
            guard let opener = found else {
                floors[floor] = runs[closer].previous ?? -1
                current = runs[closer].next
                if !runs[closer].canOpen { unlink(closer) }
                continue
            }
            let used = marker == UInt8(ascii: "~") || (runs[opener].count >= 2 && runs[closer].count >= 2) ? 2 : 1
            let tag: Tag = marker == UInt8(ascii: "~") ? .del : used == 2 ? .strong : .em
            runs[opener].opens.append(tag)
            runs[closer].closes.append(tag)
            runs[opener].count -= used
            runs[closer].count -= used
            // The runs between the two stay text.
            runs[opener].next = closer
            runs[closer].previous = opener
            let minimum = Self.minimumLength(of: marker)
            if runs[opener].count < minimum { unlink(opener) }
            if runs[closer].count < minimum {
                current = runs[closer].next
                unlink(closer)
            }
        }
    }

    private mutating func unlink(_ index: Int) {
        let (previous, next) = (runs[index].previous, runs[index].next)
        if let previous { runs[previous].next = next }
        if let next { runs[next].previous = previous }
    }

    private static func minimumLength(of marker: UInt8) -> Int {
        marker == UInt8(ascii: "~") ? 2 : 1
    }

    private static func floorIndex(of marker: UInt8) -> Int {
        switch marker {
        case UInt8(ascii: "*"): 0
        case UInt8(ascii: "_"): 1
        default: 2
        }
    }
}
