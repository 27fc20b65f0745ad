import Foundation
import GamesAPI
import Logging
import Metrics
import PongRules
import ServiceKit
import ServiceLifecycle
import Synchronization

/// The matches this instance plays, each on its own fixed-tick loop (`runFixedTicks`) on the
/// injected clock. Each tick's state goes out as a `pong_state` signal to the players and to
/// everyone looking at the room (`join_room`); the result is recorded when a match ends. A match
/// lives in this instance's memory: the gateway reaches it through the one games instance, and
/// matches left playing by a stopped instance are recorded as abandoned (`MatchResults`).
final class MatchHost: Service, Sendable {
    struct Timing: Sendable {
        /// A player not heard from (input or its repeat) for this long counts as away.
        var awayAfter: TimeInterval
        /// A state frame every this many ticks (2: 30 a second at 60 Hz), besides those sent at
        /// once for an input or an event.
        var frameEvery: Int
    }

    private let rules: PongRules
    private let timing: Timing
    private let clock: WallClock
    private let results: MatchResults
    private let publisher: SignalPublisher
    private let logger: Logger
    private let playing = Mutex<[UUID: (match: LiveMatch, loop: Task<Void, Never>)]>([:])
    /// Every tick played, and those that ran more than 5 ms late: the schedule holds while the
    /// late ones stay under 1 % (`bench/loadgen --mode pong` reads both from `/metrics`).
    private let ticks: Counter
    private let lateTicks: Counter
    /// Frames wait here for the one task that publishes them, all that are waiting in one round
    /// trip, so a slow Redis never holds a tick up; past `maxWaitingFrames` the oldest (stale by
    /// then) are dropped. `doorbell` wakes the task.
    private let waitingFrames = Mutex<[RealtimeSignal]>([])
    private static let maxWaitingFrames = 2_000
    private let doorbell: AsyncStream<Void>
    private let ring: AsyncStream<Void>.Continuation

    init(rules: PongRules, timing: Timing, clock: WallClock, results: MatchResults, publisher: SignalPublisher, logger: Logger) {
        self.rules = rules
        self.timing = timing
        self.clock = clock
        self.results = results
        self.publisher = publisher
        self.logger = logger
        (doorbell, ring) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        // The counters are made now: the metrics system is bootstrapped on first use.
        _ = ServiceMetrics.registry
        ticks = Counter(label: "games_ticks_total")
        lateTicks = Counter(label: "games_ticks_late_total")
    }

    /// The live match, when this instance plays it.
    func match(_ id: UUID) -> LiveMatch? {
        playing.withLock { $0[id]?.match }
    }

    func start(_ record: GameMatch, seed: UInt64) {
        let match = LiveMatch(record: record, seed: seed, rules: rules)
        playing.withLock { playing in
            playing[record.id] = (match, Task { await self.play(match) })
        }
    }

    /// Publishes frames until shutdown; then ends every match still played, as abandoned.
    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { [self] in
                for await _ in doorbell {
                    let batch = waitingFrames.withLock { waiting in
                        defer { waiting = [] }
                        return waiting
                    }
                    guard !batch.isEmpty else { continue }
                    do {
                        try await publisher.publish(batch)
                    } catch {
                        logger.warning("could not publish matches' states", metadata: ["error": "\(error)"])
                    }
                }
            }
            try? await gracefulShutdown()
            let left = playing.withLock { playing in
                defer { playing = [:] }
                return Array(playing.values)
            }
            for (match, loop) in left {
                loop.cancel()
                await results.record(match.record, score: match.score, end: .abandoned)
            }
            ring.finish()
        }
    }

    private func play(_ match: LiveMatch) async {
        let record = match.record
        let audience = (users: [record.players.left, record.players.right], room: record.roomId)
        do {
            try await runFixedTicks(clock: clock, ticksPerSecond: rules.ticksPerSecond) { tick in
                ticks.increment()
                if tick.lateness > 0.005 { lateTicks.increment() }
                let outcome = match.tick(at: clock.now(), awayAfter: timing.awayAfter, frameEvery: timing.frameEvery)
                if let frame = outcome.frame {
                    send(RealtimeSignal(frame: frame.text(), users: audience.users, viewersOf: [audience.room]))
                }
                guard let end = outcome.end else { return true }
                await results.record(record, score: match.score, end: end)
                playing.withLock { _ = $0.removeValue(forKey: record.id) }
                return false
            }
        } catch {
            // Cancelled at shutdown, which records the match.
        }
    }

    private func send(_ signal: RealtimeSignal) {
        waitingFrames.withLock { waiting in
            waiting.append(signal)
            if waiting.count > Self.maxWaitingFrames { waiting.removeFirst(waiting.count - Self.maxWaitingFrames) }
        }
        ring.yield()
    }
}
