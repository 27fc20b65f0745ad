import Foundation
import Synchronization

/// What one connection received of the load's messages: which (to tell duplicates), and how long
/// each took from send to arrival.
final class ConnectionDeliveries: Sendable {
    private struct State {
        var seen: [UInt64]
        var duplicates = 0
        var latenciesMicros: [Int64] = []
    }

    private let state: Mutex<State>

    init(capacity: Int) {
        state = Mutex(State(seen: [UInt64](repeating: 0, count: capacity / 64 + 1)))
    }

    func record(sequence: Int, sentMicros: Int64, nowMicros: Int64) {
        state.withLock { state in
            guard sequence / 64 < state.seen.count else { return }
            let bit = UInt64(1) << UInt64(sequence % 64)
            if state.seen[sequence / 64] & bit != 0 {
                state.duplicates += 1
                return
            }
            state.seen[sequence / 64] |= bit
            state.latenciesMicros.append(nowMicros - sentMicros)
        }
    }

    var unique: Int { state.withLock { $0.latenciesMicros.count } }
    var duplicates: Int { state.withLock { $0.duplicates } }
    var latencies: [Int64] { state.withLock { $0.latenciesMicros } }
}

/// The marker a load message carries as its content, `lg <sequence> <sent at, µs since 1970>`,
/// found in a `message_created` frame without parsing all of its JSON (100,000 frames a second
/// must not make the load generator the bottleneck).
enum Marker {
    static func content(sequence: Int, sentMicros: Int64) -> String { "lg \(sequence) \(sentMicros)" }

    private static let frameStart = Array(#"{"type":"message_created""#.utf8)
    private static let contentStart = Array(#""content":"lg "#.utf8)

    /// Scans the frame's bytes (no Foundation, no JSON parsing) for the marker.
    static func parse(_ frame: String) -> (sequence: Int, sentMicros: Int64)? {
        var frame = frame
        return frame.withUTF8 { bytes -> (Int, Int64)? in
            guard bytes.starts(with: frameStart), let start = find(contentStart, in: bytes) else { return nil }
            var index = start
            func number() -> Int64? {
                var value: Int64 = 0
                let first = index
                while index < bytes.count, bytes[index] >= 48, bytes[index] <= 57 {
                    value = value * 10 + Int64(bytes[index] - 48)
                    index += 1
                }
                return index > first ? value : nil
            }
            guard let sequence = number(), index < bytes.count, bytes[index] == UInt8(ascii: " ") else { return nil }
            index += 1
            guard let sent = number() else { return nil }
            return (Int(sequence), sent)
        }
    }

    /// The index just past the first occurrence of `needle`.
    private static func find(_ needle: [UInt8], in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard bytes.count >= needle.count else { return nil }
        var index = 0
        while index <= bytes.count - needle.count {
            if bytes[index] == needle[0] && needle.indices.allSatisfy({ bytes[index + $0] == needle[$0] }) { return index + needle.count }
            index += 1
        }
        return nil
    }

    static var nowMicros: Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }
}
