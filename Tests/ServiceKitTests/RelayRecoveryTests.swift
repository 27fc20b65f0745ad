import Foundation
import Hummingbird
import NIOCore
import Synchronization
import Testing
import TestSupport

@testable import ServiceKit

/// A subscriber that cannot keep up with a big batch, and one that refuses an event for good:
/// neither stops the stream behind them.
@Suite struct RelayRecoveryTests {
    /// A subscriber that answers batches of at most `limit` events and leaves bigger ones without
    /// an answer until it is released (the relay gives up on them first); it refuses (400) events
    /// whose `n` is in `refused`.
    final class Subscriber: EventHandler {
        let limit: Int
        private let state = Mutex<(applied: [Int], batchSizes: [Int], refused: Set<Int>)>(([], [], []))
        private let held = Mutex<(released: Bool, waiting: [CheckedContinuation<Void, Never>])>((false, []))

        init(limit: Int = .max, refusing refused: Set<Int> = []) {
            self.limit = limit
            state.withLock { $0.refused = refused }
        }

        var applied: [Int] { state.withLock { $0.applied } }
        var batchSizes: [Int] { state.withLock { $0.batchSizes } }
        func accept(_ n: Int) { _ = state.withLock { $0.refused.remove(n) } }

        /// Lets the batches it holds end (with 503), and any later one at once.
        func release() {
            let waiting = held.withLock { held in
                held.released = true
                defer { held.waiting = [] }
                return held.waiting
            }
            for continuation in waiting { continuation.resume() }
        }

        private func waitForRelease() async {
            await withCheckedContinuation { continuation in
                let released = held.withLock { held in
                    if !held.released { held.waiting.append(continuation) }
                    return held.released
                }
                if released { continuation.resume() }
            }
        }

        func handle(_ event: Event) async throws {}

        func handle(batch events: [Event]) async throws {
            state.withLock { $0.batchSizes.append(events.count) }
            if events.count > limit {
                await waitForRelease()
                throw HTTPError(.serviceUnavailable)
            }
            let numbers = events.compactMap { event -> Int? in
                guard case .number(let n)? = event.data["n"] else { return nil }
                return Int(n)
            }
            try state.withLock { state in
                if numbers.contains(where: state.refused.contains) { throw HTTPError(.badRequest) }
                state.applied += numbers
            }
        }
    }

    static func emit(_ numbers: ClosedRange<Int>, outbox: Outbox) async throws {
        for n in numbers {
            try await outbox.transaction { tx in try await tx.emit("counted", stream: "room-1", data: ["n": n]) }
        }
    }

    @Test func aBatchTooBigToApplyInTimeIsSentAgainSmallerUntilItGetsThrough() async throws {
        try await OutboxTests.withProducer { client in
            let subscriber = Subscriber(limit: 12)
            let port = try TestEnvironment.freePort()
            try await serveEvents(to: subscriber, port: port) {
                defer { subscriber.release() }
                let outbox = Outbox(
                    client: client, subscribers: [EventSubscriber(name: "slow", url: "http://127.0.0.1:\(port)")], clock: .system, logger: OutboxTests.logger)
                try await Self.emit(1...40, outbox: outbox)
                var timing = OutboxTests.relayTiming
                timing.requestTimeout = .seconds(1)
                try await OutboxTests.withRelay(outbox, timing: timing) {
                    try await eventually(seconds: 30, "applied \(subscriber.applied.count) of 40 in batches of \(subscriber.batchSizes)") {
                        Set(subscriber.applied) == Set(1...40)
                    }
                }
            }
            // 100 (all 40 there were), 50 and 25 timed out; 12 got through, and then 24 did not.
            #expect(subscriber.batchSizes.prefix(4) == [40, 40, 25, 12])
            #expect(Array(subscriber.applied.prefix(12)) == Array(1...12), "in order, the first batch that fit first")
        }
    }

    @Test func anEventRefusedForGoodIsSetAsideTheStreamMovesOnAndAReplayDeliversIt() async throws {
        _ = ServiceMetrics.registry
        try await OutboxTests.withProducer { client in
            let subscriber = Subscriber(refusing: [3])
            let port = try TestEnvironment.freePort()
            try await serveEvents(to: subscriber, port: port) {
                let outbox = Outbox(
                    client: client, subscribers: [EventSubscriber(name: "picky", url: "http://127.0.0.1:\(port)")], clock: .system, logger: OutboxTests.logger)
                try await Self.emit(1...5, outbox: outbox)
                let deadLetters = DeadLetters(outbox: outbox)
                try await OutboxTests.withRelay(outbox) {
                    try await eventually("applied \(subscriber.applied)") { subscriber.applied == [1, 2, 4, 5] }
                    let letters = try await deadLetters.list()
                    #expect(letters.map(\.subscriber) == ["picky"] && letters.map(\.status) == [400] && letters.map(\.type) == ["counted"])
                    let metrics = String(buffer: ByteBuffer(bytes: ServiceMetrics.registry.emitToBuffer()))
                    #expect(metrics.contains(#"outbox_dead_letters_total{subscriber="picky"} 1"#))

                    // Fixed, the subscriber takes it when an operator replays it; nothing else comes twice.
                    subscriber.accept(3)
                    #expect(try await deadLetters.replay(subscriber: "picky") == 1)
                    try await eventually("applied \(subscriber.applied)") { subscriber.applied == [1, 2, 4, 5, 3] }
                    #expect(try await deadLetters.list().isEmpty)
                    #expect(try await deadLetters.replay(subscriber: nil) == 0)
                }
            }
        }
    }
}
