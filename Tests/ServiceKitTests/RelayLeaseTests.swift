import Foundation
import PostgresNIO
@testable import ServiceKit
import Synchronization
import Testing
import TestSupport

/// The relay's lease: one instance at a time delivers to a subscriber, and a batch posted by a
/// relay that died before acknowledging it is delivered again by the next holder, and applied once.
@Suite struct RelayLeaseTests {
    @Test func twoInstancesDeliverEachEventOnceAndEachStreamInOrder() async throws {
        try await OutboxTests.withProducer { client in
            let port = try TestEnvironment.freePort()
            let subscriber = EventSubscriber(name: "shared", url: "http://127.0.0.1:\(port)")
            // Two instances of one service: one database, an outbox and a relay each.
            let instances = (0..<2).map { _ in Outbox(client: client, subscribers: [subscriber], clock: .system, logger: OutboxTests.logger) }
            let received = EventRecorder()
            try await received.serve(port: port) { _ in
                try await OutboxTests.withRelay(instances[0]) {
                    try await OutboxTests.withRelay(instances[1]) {
                        try await withThrowingTaskGroup(of: Void.self) { group in
                            for writer in 0..<6 {
                                group.addTask {
                                    for round in 0..<20 {
                                        try await OutboxTests.bump("room-\((writer + round) % 3)", outbox: instances[(writer + round) % 2])
                                    }
                                }
                            }
                            try await group.waitForAll()
                        }
                        let events = try await received.waitFor(120)
                        for stream in ["room-0", "room-1", "room-2"] {
                            let values = events.filter { $0.stream == stream }.map(\.data)
                            #expect(values == (1...values.count).map { JSONValue.object(["n": .number(Double($0))]) }, "\(stream) out of order")
                        }
                        try await eventually("every delivery acknowledged") { try await OutboxTests.count("outbox_deliveries", client) == 0 }
                        #expect(received.events.count == 120, "nothing delivered twice")
                    }
                }
            }
        }
    }

    @Test func aBatchPostedButNeverAcknowledgedIsDeliveredAgainByTheNextHolderAndAppliedOnce() async throws {
        try await OutboxTests.withProducer { client in
            let port = try TestEnvironment.freePort()
            let subscriber = EventSubscriber(name: "consumer", url: "http://127.0.0.1:\(port)")
            let time = Mutex(Date(timeIntervalSince1970: 1_800_000_000))
            let outbox = Outbox(client: client, subscribers: [subscriber], clock: WallClock { time.withLock { $0 } }, logger: OutboxTests.logger)
            let consumer = StallingConsumer(inbox: PostgresInbox(client: client, logger: OutboxTests.logger))
            try await OutboxTests.bump("room-1", outbox: outbox)
            let http = HTTPClientService()
            let dying = OutboxRelay(outbox: outbox, httpClient: http.client, serviceToken: TestEnvironment.serviceToken)
            let next = OutboxRelay(outbox: outbox, httpClient: http.client, serviceToken: TestEnvironment.serviceToken)
            try await serveEvents(to: consumer, port: port) {
                // The first relay posts; the consumer has the batch but has not answered when the
                // relay dies (its task ends mid-request, so it never acknowledges).
                let posting = Task { try await dying.deliverBatch(to: subscriber, acknowledging: [], batchSize: 100) }
                await consumer.firstBatchArrived()
                posting.cancel()
                _ = await posting.result
                consumer.answer()
                try await eventually("the consumer applied the batch") { consumer.applied == 1 }
                #expect(try await OutboxTests.count("outbox_deliveries", client) == 1, "not acknowledged")

                // The dead relay's lease has not run out: nobody else delivers yet.
                #expect(try await next.deliverBatch(to: subscriber, acknowledging: [], batchSize: 100) == .none)
                time.withLock { $0 += OutboxRelay.Timing().leaseDuration }
                let redelivered = try await next.deliverBatch(to: subscriber, acknowledging: [], batchSize: 100)
                #expect(redelivered.posted.count == 1)
                #expect(consumer.deliveries == 2 && consumer.applied == 1)
                // Acknowledged with the next read, which finds nothing more.
                #expect(try await OutboxTests.count("outbox_deliveries", client) == 1)
                #expect(try await next.deliverBatch(to: subscriber, acknowledging: redelivered.posted, batchSize: 100) == .none)
                #expect(try await OutboxTests.count("outbox_deliveries", client) + OutboxTests.count("outbox_events", client) == 0)
            }
            try await http.client.shutdown()
        }
    }
}

/// A consumer applying each event once through its inbox, whose first request waits for
/// `answer()` before it is handled.
final class StallingConsumer: EventHandler {
    let inbox: PostgresInbox
    private let counts = Mutex((deliveries: 0, applied: 0))
    private let arrived = Signal()
    private let answered = Signal()

    init(inbox: PostgresInbox) {
        self.inbox = inbox
    }

    var deliveries: Int { counts.withLock { $0.deliveries } }
    var applied: Int { counts.withLock { $0.applied } }

    func handle(_ event: Event) async throws {
        let first = counts.withLock { counts in
            counts.deliveries += 1
            return counts.deliveries == 1
        }
        if first {
            arrived.fire()
            await answered.wait()
        }
        if try await inbox.applyOnce(event, { _ in }) { counts.withLock { $0.applied += 1 } }
    }

    func firstBatchArrived() async { await arrived.wait() }
    func answer() { answered.fire() }
}

/// Fires once; a wait returns once it has.
final class Signal: Sendable {
    private let state = Mutex<(fired: Bool, waiters: [CheckedContinuation<Void, Never>])>((false, []))

    func fire() {
        let waiters = state.withLock { state in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { continuation in
            let fired = state.withLock { state in
                if !state.fired { state.waiters.append(continuation) }
                return state.fired
            }
            if fired { continuation.resume() }
        }
    }

    @Test func anEventNoSubscriberAwaitsAnyMoreIsSettledWhenALeaseIsTaken() async throws {
        try await OutboxTests.withProducer { client in
            let subscriber = EventSubscriber(name: "down", url: "http://127.0.0.1:\(try TestEnvironment.freePort())")
            let outbox = Outbox(client: client, subscribers: [subscriber], clock: .system, logger: OutboxTests.logger)
            // What two relays acknowledging one event at once leave behind: the event, without a
            // delivery. Then an event still pending.
            try await OutboxTests.bump("room-1", outbox: outbox)
            _ = try await client.query("DELETE FROM outbox_deliveries", logger: OutboxTests.logger)
            try await OutboxTests.bump("room-1", outbox: outbox)
            let http = HTTPClientService()
            let relay = OutboxRelay(outbox: outbox, httpClient: http.client, serviceToken: TestEnvironment.serviceToken)
            // Nobody listens, so the post fails; the lease was taken, and the left-over settled.
            await #expect(throws: (any Error).self) { try await relay.deliverBatch(to: subscriber, acknowledging: [], batchSize: 100) }
            #expect(try await OutboxTests.count("outbox_events", client) == 1)
            #expect(try await OutboxTests.count("outbox_deliveries", client) == 1)
            try await http.client.shutdown()
        }
    }

    @Test func anInstanceHoldingNoLeaseWakesTheRelayOfTheOneThatDoes() async throws {
        try await OutboxTests.withProducer { client in
            let port = try TestEnvironment.freePort()
            let subscriber = EventSubscriber(name: "consumer", url: "http://127.0.0.1:\(port)")
            // Two instances of one service: an outbox (and doorbells) each, on the same tables.
            let holding = Outbox(client: client, subscribers: [subscriber], clock: .system, logger: OutboxTests.logger)
            let writing = Outbox(client: client, subscribers: [subscriber], clock: .system, logger: OutboxTests.logger)
            var timing = OutboxRelay.Timing()
            timing.pollInterval = .seconds(3600)  // so only a wake-up delivers within the test
            let http = HTTPClientService()
            let relay = OutboxRelay(outbox: holding, httpClient: http.client, serviceToken: TestEnvironment.serviceToken, timing: timing)
            let received = EventRecorder()
            // The client is shut down whatever happens (a client left running traps at deinit).
            do {
                try await received.serve(port: port) { _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await relay.run() }
                        try await eventually("the relay holds the lease and listens") {
                            guard holding.leases.holdsEvery([subscriber.name], at: Date()) else { return false }
                            let listeners = try await client.query(
                                "SELECT count(*)::int FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN %'",
                                logger: OutboxTests.logger).all(Int.self)
                            return listeners.first == 1
                        }
                        try await OutboxTests.bump("room-1", outbox: writing)
                        #expect(try await received.waitFor(1).map(\.type) == ["counted"])
                        group.cancelAll()
                    }
                }
            } catch {
                try await http.client.shutdown()
                throw error
            }
            try await http.client.shutdown()
        }
    }
}
