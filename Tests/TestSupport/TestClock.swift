import Foundation
import ServiceKit
import Synchronization

/// A clock tests move by hand instead of sleeping: what it reads (token expiry, TOTP steps, key
/// rotation) and when the timers waiting on it fire (typing, sweepers, retry backoff): a sleeper
/// wakes when the clock is moved to or past its date, never by itself.
public final class TestClock: Sendable {
    private struct Sleeper {
        let id: UUID
        let until: Date
        let continuation: CheckedContinuation<Void, any Error>
    }

    private struct State {
        var now: Date
        var sleepers: [Sleeper] = []
        /// `sleeperArrived` callers waiting for a timer.
        var arrivals: [UUID: CheckedContinuation<Void, Never>] = [:]
    }

    private let state: Mutex<State>

    public init(_ start: Date = Date()) {
        self.state = Mutex(State(now: start))
    }

    public var now: Date { state.withLock { $0.now } }

    /// How many timers wait on this clock now.
    public var sleeperCount: Int { state.withLock { $0.sleepers.count } }

    /// Sets the clock to `date` (to now by default: when a stack it drives has started, after
    /// waiting its turn, which under load takes longer than a token may be dated ahead), waking the
    /// timers due by then.
    public func set(to date: Date = Date()) {
        let due = state.withLock { state -> [Sleeper] in
            state.now = date
            let due = state.sleepers.filter { $0.until <= date }
            state.sleepers.removeAll { $0.until <= date }
            return due
        }
        for sleeper in due { sleeper.continuation.resume() }
    }

    public func advance(by seconds: TimeInterval) {
        set(to: now.addingTimeInterval(seconds))
    }

    /// Waits until at least `count` timers wait on this clock: a test that moves it after that
    /// knows they see the move.
    public func waitForSleepers(_ count: Int = 1, seconds: Double = 15) async throws {
        try await eventually(seconds: seconds, "\(sleeperCount) of \(count) timers waiting") { sleeperCount >= count }
    }

    /// Returns once a timer waits on this clock (at once when one does): a loop driven by the
    /// test has finished its step and sleeps until the next.
    public func sleeperArrived() async {
        let id = UUID()
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let ready = state.withLock { state -> Bool in
                    if !state.sleepers.isEmpty || Task.isCancelled { return true }
                    state.arrivals[id] = continuation
                    return false
                }
                if ready { continuation.resume() }
            }
        } onCancel: {
            state.withLock { $0.arrivals.removeValue(forKey: id) }?.resume()
        }
    }

    public var wallClock: WallClock {
        WallClock(Source(clock: self))
    }

    private struct Source: TimeSource {
        let clock: TestClock
        func now() -> Date { clock.now }
        func sleep(until date: Date) async throws { try await clock.sleep(until: date) }
    }

    private func sleep(until date: Date) async throws {
        let id = UUID()
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                let (outcome, arrivals) = state.withLock { state -> (Result<Void, any Error>?, [CheckedContinuation<Void, Never>]) in
                    if Task.isCancelled { return (.failure(CancellationError()), []) }
                    if date <= state.now { return (.success(()), []) }
                    state.sleepers.append(Sleeper(id: id, until: date, continuation: continuation))
                    defer { state.arrivals = [:] }
                    return (nil, Array(state.arrivals.values))
                }
                if let outcome { continuation.resume(with: outcome) }
                for arrival in arrivals { arrival.resume() }
            }
        } onCancel: {
            let cancelled = state.withLock { state -> Sleeper? in
                guard let index = state.sleepers.firstIndex(where: { $0.id == id }) else { return nil }
                return state.sleepers.remove(at: index)
            }
            cancelled?.continuation.resume(throwing: CancellationError())
        }
    }
}

/// The public test vectors in `../shared/vectors` beside the repository.
public enum SharedVectors {
    public static func load(_ relativePath: String) throws -> [String: Any] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/vectors/\(relativePath)")
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw TestFailure("\(relativePath) is not a JSON object")
        }
        return object
    }
}
