import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// The event machinery end to end: outbox rows written with a change, the relay delivering them
/// over HTTP to a real subscriber, and the consumer's inbox applying each id once.
@Suite struct OutboxTests {
    static let logger = Logger(label: "outbox-test")

    /// A producer database with ServiceKit's event tables and a `counters` table to change.
    static func withProducer(_ body: @Sendable (PostgresClient) async throws -> Void) async throws {
        let migrations = FileManager.default.temporaryDirectory.appendingPathComponent("producer-\(UUID())")
        try FileManager.default.createDirectory(at: migrations, withIntermediateDirectories: true)
        try "CREATE TABLE counters (stream text PRIMARY KEY, n integer NOT NULL);"
            .write(to: migrations.appendingPathComponent("0001_counters.sql"), atomically: true, encoding: .utf8)
        try await TestPostgres.shared.withClient(schema: "producer", maxConnections: 8) { client in
            try await MigrationRunner(client: client, schema: "producer", directory: migrations, logger: logger).run()
            try await body(client)
        }
    }

    /// Quick to poll and retry, for tests on the real clock.
    static var relayTiming: OutboxRelay.Timing {
        var timing = OutboxRelay.Timing()
        timing.pollInterval = .milliseconds(100)
        timing.firstRetryDelay = .milliseconds(50)
        timing.maxRetryDelay = .milliseconds(400)
        return timing
    }

    static func withRelay<T: Sendable>(
        _ outbox: Outbox, timing: OutboxRelay.Timing = relayTiming, _ body: @Sendable () async throws -> T
    ) async throws -> T {
        let http = HTTPClientService()
        let relay = OutboxRelay(outbox: outbox, httpClient: http.client, serviceToken: TestEnvironment.serviceToken, timing: timing)
        let result: Result<T, any Error> = await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await relay.run() }
            defer { group.cancelAll() }
            do {
                return .success(try await body())
            } catch {
                return .failure(error)
            }
        }
        try await http.client.shutdown()
        return try result.get()
    }

    static func count(_ table: String, _ client: PostgresClient) async throws -> Int {
        try await client.query("SELECT count(*)::int FROM \(unescaped: table)", logger: logger).all(Int.self).first ?? -1
    }

    /// Bumps `stream`'s counter and emits its new value, in one transaction.
    static func bump(_ stream: String, outbox: Outbox) async throws {
        try await outbox.transaction { tx in
            let n = try await tx.connection.query(
                """
                INSERT INTO counters (stream, n) VALUES (\(stream), 1)
                ON CONFLICT (stream) DO UPDATE SET n = counters.n + 1 RETURNING n
                """, logger: logger).all(Int.self).first ?? 0
            try await tx.emit("counted", stream: stream, data: ["n": n])
        }
    }

    @Test func anEventWaitsForADownSubscriberAndArrivesWhenItComesBack() async throws {
        try await Self.withProducer { client in
            let port = try TestEnvironment.freePort()
            let subscriber = EventSubscriber(name: "late", url: "http://127.0.0.1:\(port)")
            let clock = TestClock()
            let outbox = Outbox(client: client, subscribers: [subscriber], clock: clock.wallClock, logger: Self.logger)
            for _ in 0..<3 { try await Self.bump("room-1", outbox: outbox) }
            let received = EventRecorder()
            try await Self.withRelay(outbox) {
                // Nothing listens yet: the relay failed and waits to retry; the events stay pending.
                try await clock.waitForSleepers()
                #expect(try await Self.count("outbox_deliveries", client) == 3)
                try await received.serve(port: port) { _ in
                    try await eventually("the relay never came back") {
                        clock.advance(by: 1)
                        return received.events.count >= 3
                    }
                    let events = received.events
                    #expect(events.map { $0.data } == [1, 2, 3].map { JSONValue.object(["n": .number(Double($0))]) })
                    #expect(events.allSatisfy { $0.type == "counted" && $0.stream == "room-1" })
                    // The relay commits its clean-up with its next look for events, at its next poll.
                    try await eventually("delivered everywhere, so removed") {
                        clock.advance(by: 1)
                        let pending = try await Self.count("outbox_deliveries", client) + Self.count("outbox_events", client)
                        return pending == 0
                    }
                }
            }
        }
    }

    @Test func largeEventsAreSplitIntoBatchesUnderTheReceiversBodyLimit() async throws {
        try await Self.withProducer { client in
            let subscriber = EventSubscriber(name: "bulky", url: "")
            let outbox = Outbox(client: client, subscribers: [subscriber], clock: .system, logger: Self.logger)
            // 12 events of 200 KB: 2.4 MB, more than the receiver's 1 MiB limit in one batch.
            let filler = String(repeating: "x", count: 200_000)
            for index in 0..<12 {
                try await outbox.transaction { tx in try await tx.emit("bulky", stream: "room-1", data: ["n": "\(index)", "filler": filler]) }
            }
            let received = EventRecorder()
            try await received.serve { port in
                let outbox = Outbox(
                    client: client, subscribers: [EventSubscriber(name: "bulky", url: "http://127.0.0.1:\(port)")], clock: .system, logger: Self.logger)
                try await Self.withRelay(outbox) {
                    let events = try await received.waitFor(12)
                    let numbers = events.map { event -> JSONValue? in
                        guard case .object(let fields) = event.data else { return nil }
                        return fields["n"]
                    }
                    #expect(numbers == (0..<12).map { JSONValue.string("\($0)") })
                }
            }
        }
    }

    @Test func aFailingSubscriberGetsTheSameBatchAgainAndNothingOvertakesIt() async throws {
        try await Self.withProducer { client in
            let port = try TestEnvironment.freePort()
            let subscriber = EventSubscriber(name: "flaky", url: "http://127.0.0.1:\(port)")
            let clock = TestClock()
            let outbox = Outbox(client: client, subscribers: [subscriber], clock: clock.wallClock, logger: Self.logger)
            let received = EventRecorder()
            received.setFailing(true)
            try await received.serve(port: port) { _ in
                try await Self.withRelay(outbox) {
                    try await Self.bump("room-1", outbox: outbox)
                    // The first was refused: the relay waits to retry, and the second queues behind it.
                    try await eventually { received.refused > 0 }
                    try await Self.bump("room-1", outbox: outbox)
                    #expect(received.events.isEmpty)
                    received.setFailing(false)
                    try await eventually("the relay never came back") {
                        clock.advance(by: 1)
                        return received.events.count >= 2
                    }
                    let events = received.events
                    #expect(events.map(\.data) == [.object(["n": .number(1)]), .object(["n": .number(2)])])
                }
            }
        }
    }

    @Test func eachStreamArrivesInCommitOrderUnderConcurrentWriters() async throws {
        try await Self.withProducer { client in
            let port = try TestEnvironment.freePort()
            let subscriber = EventSubscriber(name: "ordered", url: "http://127.0.0.1:\(port)")
            let outbox = Outbox(client: client, subscribers: [subscriber], clock: .system, logger: Self.logger)
            let received = EventRecorder()
            try await received.serve(port: port) { _ in
                try await Self.withRelay(outbox) {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for writer in 0..<6 {
                            group.addTask {
                                for round in 0..<20 { try await Self.bump("room-\((writer + round) % 3)", outbox: outbox) }
                            }
                        }
                        try await group.waitForAll()
                    }
                    let events = try await received.waitFor(120)
                    for stream in ["room-0", "room-1", "room-2"] {
                        let values = events.filter { $0.stream == stream }.map(\.data)
                        #expect(values == (1...values.count).map { JSONValue.object(["n": .number(Double($0))]) }, "\(stream) out of order")
                    }
                    #expect(Set(events.map(\.id)).count == 120)
                }
            }
        }
    }

    @Test func aRolledBackChangeEmitsNothing() async throws {
        try await Self.withProducer { client in
            let port = try TestEnvironment.freePort()
            let subscriber = EventSubscriber(name: "watcher", url: "http://127.0.0.1:\(port)")
            let outbox = Outbox(client: client, subscribers: [subscriber], clock: .system, logger: Self.logger)
            let received = EventRecorder()
            try await received.serve(port: port) { _ in
                try await Self.withRelay(outbox) {
                    await #expect(throws: TestFailure.self) {
                        try await outbox.transaction { tx in
                            try await tx.connection.query("INSERT INTO counters (stream, n) VALUES ('doomed', 1)", logger: Self.logger)
                            try await tx.emit("counted", stream: "doomed", data: ["n": 1])
                            throw TestFailure("the change fails after emitting")
                        }
                    }
                    try await Self.bump("room-1", outbox: outbox)
                    try await Self.bump("room-2", outbox: outbox)
                    let events = try await received.waitFor(2)
                    #expect(events.map(\.stream) == ["room-1", "room-2"])
                }
            }
            #expect(try await Self.count("counters WHERE stream = 'doomed'", client) == 0)
        }
    }

    @Test func theInboxAppliesARedeliveredEventOnce() async throws {
        try await Self.withProducer { client in
            let inbox = PostgresInbox(client: client, logger: Self.logger)
            let event = Event(id: .v7(), type: "counted", stream: "room-1", occurredAt: Date(), data: .object(["n": .number(1)]))
            for _ in 0..<3 {
                try await inbox.applyOnce(event) { connection in
                    try await connection.query("INSERT INTO counters (stream, n) VALUES ('applied', 1) ON CONFLICT (stream) DO UPDATE SET n = counters.n + 1", logger: Self.logger)
                }
            }
            #expect(try await client.query("SELECT n FROM counters WHERE stream = 'applied'", logger: Self.logger).all(Int.self) == [1])
        }
    }

    @Test func theReceiverWantsTheServiceCredential() async throws {
        let received = EventRecorder()
        let router = Router()
        EventReceiver.add(to: router, serviceToken: TestEnvironment.serviceToken, handler: received, tracer: ServiceTracing.off.tracer)
        try await Application(router: router).test(.live) { client in
            let batch = String(decoding: try EventJSON.encoder().encode(EventBatch(events: [
                Event(id: .v7(), type: "counted", stream: "s", occurredAt: Date(), data: .null),
            ])), as: UTF8.self)
            let stranger = try await client.call(.post, "/internal/events", rawBody: batch, token: "guess")
            #expect(stranger.status == .notFound)
            let malformed = try await client.call(.post, "/internal/events", rawBody: "{\"events\": 1}", token: TestEnvironment.serviceToken)
            #expect(malformed.status == .badRequest)
            let delivered = try await client.call(.post, "/internal/events", rawBody: batch, token: TestEnvironment.serviceToken)
            #expect(delivered.status == .noContent)
            #expect(received.events.count == 1)
        }
    }
}

/// The inbox forgets applied ids after its retention, and only those.
@Suite struct InboxPrunerTests {
    @Test func idsOlderThanTheRetentionAreForgottenInBatchesAndNewerOnesKept() async throws {
        try await OutboxTests.withProducer { client in
            let now = Date()
            let old = (0..<5).map { _ in UUID() }, recent = [UUID(), UUID()]
            for (id, age) in old.map({ ($0, 8.0 * 86400) }) + recent.map({ ($0, 86400.0) }) {
                try await client.query("INSERT INTO inbox_events (id, applied_at) VALUES (\(id), \(now.addingTimeInterval(-age)))", logger: OutboxTests.logger)
            }
            var timing = InboxPruner.Timing()
            timing.batchSize = 2
            let pruner = InboxPruner(client: client, clock: TestClock(now).wallClock, timing: timing, logger: OutboxTests.logger)
            #expect(try await pruner.prune() == 5)
            let kept = try await client.query("SELECT id FROM inbox_events", logger: OutboxTests.logger).all(UUID.self)
            #expect(Set(kept) == Set(recent))
            // A redelivered recent event is still recognised.
            let redelivered = Event(id: recent[0], type: "counted", stream: "s", occurredAt: now, data: .null)
            #expect(try await PostgresInbox(client: client, logger: OutboxTests.logger).applyOnce(redelivered) { _ in } == false)
        }
    }
}
