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

    static func parse(_ frame: String) -> (sequence: Int, sentMicros: Int64)? {
        guard frame.hasPrefix(#"{"type":"message_created""#), let start = frame.range(of: #""content":"lg "#) else { return nil }
        let rest = frame[start.upperBound...]
        guard let end = rest.firstIndex(of: "\"") else { return nil }
        let parts = rest[..<end].split(separator: " ")
        guard parts.count == 2, let sequence = Int(parts[0]), let sent = Int64(parts[1]) else { return nil }
        return (sequence, sent)
    }

    static var nowMicros: Int64 { Int64(Date().timeIntervalSince1970 * 1_000_000) }
}
