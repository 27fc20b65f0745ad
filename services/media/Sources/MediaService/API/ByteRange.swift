import Foundation

/// A `Range: bytes=...` request against an object of `size` bytes (RFC 9110 §14.1.2). One range
/// only: a multi-range request is answered whole, as servers may.
enum ByteRange: Equatable {
    case whole
    case part(ClosedRange<Int>)
    /// 416: no byte of the object is in the range.
    case unsatisfiable

    init(header: String?, size: Int) {
        guard let header, header.lowercased().hasPrefix("bytes="), !header.contains(",") else {
            self = .whole
            return
        }
        let spec = header.dropFirst("bytes=".count).trimmingCharacters(in: .whitespaces)
        let bounds = spec.split(separator: "-", maxSplits: 1, omittingEmptySubsequences: false)
        guard bounds.count == 2 else {
            self = .whole
            return
        }
        let (first, last) = (Int(bounds[0]), Int(bounds[1]))
        switch (bounds[0].isEmpty, bounds[1].isEmpty) {
        case (true, false):
            // The last N bytes.
            guard let count = last else { self = .whole; return }
            guard count > 0, size > 0 else { self = .unsatisfiable; return }
            self = .part(max(0, size - count)...(size - 1))
        case (false, _):
            guard let first, first >= 0, bounds[1].isEmpty || last != nil else { self = .whole; return }
            if let last, last < first { self = .whole; return }
            guard first < size else { self = .unsatisfiable; return }
            self = .part(first...min(last ?? (size - 1), size - 1))
        default:
            self = .whole
        }
    }
}
