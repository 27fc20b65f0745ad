import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle
import Synchronization
import Tracing

/// Delivers the outbox to each subscriber (`POST <url>/internal/events`) in `seq` order, in
/// batches, until each batch is acknowledged with a 2xx. A failed batch is retried with
/// exponential backoff and nothing behind it overtakes it, so a subscriber sees every stream in
/// order. Failures make the next batch smaller (`DeliveryPace`), so what is too much to apply
/// within the timeout gets through in smaller batches. An event refused for good (a 4xx to a
/// batch of it alone) is set aside as a dead letter (`DeadLetters`), counted in
/// `outbox_dead_letters_total`, and its stream moves on.
///
/// Across instances of a service, a lease (`outbox_relay_leases`) lets one relay at a time
/// deliver to a given subscriber. A relay wakes when its own process commits events (a doorbell)
/// or, when it holds a lease another instance's commits need, at that instance's `NOTIFY`.
///
/// No transaction is held across a post: a batch is read, posted, and acknowledged (its
/// deliveries deleted) by the statement that reads the next one, so a steady flow costs one
/// statement per batch; an idle relay acknowledges at its next poll. A relay that dies between a
/// post and its acknowledgement leaves the batch pending; whoever holds the lease next posts it
/// again, and the consumer's inbox applies each event once.
public struct OutboxRelay: Service {
    public struct Timing: Sendable {
        /// How often to look for events written by other instances (this one's wake the relay).
        public var pollInterval: Duration = .seconds(1)
        /// Retries back off from the first delay to the longest: a subscriber back from an
        /// outage gets its events within that long.
        public var firstRetryDelay: Duration = .milliseconds(100)
        public var maxRetryDelay: Duration = .seconds(5)
        public var requestTimeout: TimeAmount = .seconds(5)
        /// The most events in a batch; after failures, fewer (see the type's comment).
        public var batchSize = 100
        /// How long a lease lasts unless renewed. A relay renews it once a third of it has
        /// passed, so it always has longer left than `requestTimeout`; another relay (or the
        /// holder's own restart) takes over only this long after the holder stopped renewing:
        /// died without letting go, the longest a crash holds up the subscriber's events.
        public var leaseDuration: TimeInterval = 15
        /// A batch stops growing past this many bytes of payload, so it stays well under the
        /// receivers' body limit (1 MiB by default) however large its events; one event always goes.
        public var maxBatchBytes = 256 * 1024

        public init() {}
    }

    let outbox: Outbox
    let httpClient: HTTPClient
    let serviceToken: String
    let timing: Timing
    let deadLetters: DeadLetters
    /// This relay, as the holder of leases.
    let holder = UUID()

    /// Delivers to `outbox`'s subscribers.
    public init(outbox: Outbox, httpClient: HTTPClient, serviceToken: String, timing: Timing = Timing()) {
        self.outbox = outbox
        self.httpClient = httpClient
        self.serviceToken = serviceToken
        self.timing = timing
        self.deadLetters = DeadLetters(outbox: outbox)
    }

    public func run() async throws {
        // A service that returns ends its service group: with no subscribers, idle until shutdown.
        guard !outbox.subscribers.isEmpty else { return try await gracefulShutdown() }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask { await wakeAtOtherInstancesCommits() }
                for subscriber in outbox.subscribers {
                    group.addTask { await deliverForever(to: subscriber) }
                }
            }
        }
        // A graceful stop lets go of the leases, so another instance need not wait for them to
        // run out; a cancelled relay (as good as dead) keeps them.
        guard !Task.isCancelled else { return }
        _ = try? await outbox.client.query("DELETE FROM outbox_relay_leases WHERE holder = \(holder)", logger: outbox.logger)
    }

    private func deliverForever(to subscriber: EventSubscriber) async {
        let doorbell = outbox.doorbells[subscriber.name]!
        await waitForTables()
        var pace = DeliveryPace(timing: timing)
        var posted: [Int64] = []
        while !Task.isCancelled {
            let failure: (any Error)?
            do {
                let batch = try await deliverBatch(to: subscriber, acknowledging: posted, batchSize: pace.batchSize)
                posted = batch.posted
                pace.succeeded()
                // Whatever is committed after the batch was read rings the doorbell (and a ring
                // with nobody waiting is kept): a relay that took all there was need not look again
                // before it rings.
                if batch.tookAll {
                    await doorbell.wait(timeout: timing.pollInterval, clock: outbox.clock)
                }
                failure = nil
            } catch {
                failure = error
            }
            guard let failure, !Task.isCancelled else { continue }
            if let refusal = failure as? EventDeliveryError, refusal.isForGood, refusal.seqs.count == 1,
                await setAside(refusal, from: subscriber)
            {
                continue
            }
            let wait = pace.failed()
            outbox.logger.warning(
                "event delivery failed; retrying",
                metadata: [
                    "subscriber": "\(subscriber.name)", "retry_in": "\(wait)", "next_batch_size": "\(pace.batchSize)",
                    "error": "\(String(describing: failure).prefix(300))",
                ])
            try? await outbox.clock.sleep(for: wait)
        }
    }

    /// Keeps the one event of a refused batch as a dead letter; whether that worked.
    private func setAside(_ refusal: EventDeliveryError, from subscriber: EventSubscriber) async -> Bool {
        do {
            try await deadLetters.record(seq: refusal.seqs[0], subscriber: subscriber.name, status: refusal.status)
        } catch {
            outbox.logger.warning("could not set a refused event aside", metadata: ["error": "\(String(describing: error).prefix(300))"])
            return false
        }
        outbox.logger.error(
            "event refused for good; kept as a dead letter",
            metadata: ["subscriber": "\(subscriber.name)", "seq": "\(refusal.seqs[0])", "status": "\(refusal.status)"])
        return true
    }

    /// Rings every doorbell at each notification on the outbox's channel, sent by an instance of
    /// this service that committed events without holding every lease itself (`Outbox.transaction`).
    /// Listens on a connection of its own for as long as the relay runs, again after a failure.
    private func wakeAtOtherInstancesCommits() async {
        var retryDelay = timing.firstRetryDelay
        while !Task.isCancelled {
            do {
                try await outbox.client.withConnection { connection in
                    let schema = try await connection.query("SELECT current_schema()", logger: outbox.logger).all(String.self).first ?? "public"
                    try await connection.listen(on: Outbox.commitChannel(schema: schema)) { notifications in
                        retryDelay = timing.firstRetryDelay
                        for try await _ in notifications {
                            for doorbell in outbox.doorbells.values { doorbell.ring() }
                        }
                    }
                }
            } catch {
                guard !Task.isCancelled else { return }
                outbox.logger.warning("listening for other instances' events failed; retrying", metadata: ["error": "\(String(describing: error).prefix(300))"])
                try? await outbox.clock.sleep(for: retryDelay)
                retryDelay = min(retryDelay * 2, timing.maxRetryDelay)
            }
        }
    }

    /// Returns once the outbox's tables exist: the relay starts with the service, beside the
    /// migrations that make them, and would otherwise log failures for a moment at every start.
    /// This waits on the migrations, not on time, so it polls in real time whatever the clock
    /// (a test's clock that nobody moves must not hold the relay back).
    private func waitForTables() async {
        while !Task.isCancelled {
            let exists = try? await outbox.client.query("SELECT to_regclass('outbox_dead_letters') IS NOT NULL", logger: outbox.logger)
                .decode(Bool.self).first { _ in true }
            if exists == true { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
    }

    /// What one `deliverBatch` did.
    struct BatchDelivery: Equatable {
        /// The events posted (their `seq`), to acknowledge with the next batch.
        let posted: [Int64]
        /// Nothing was left pending when the batch was read (no more than fit in it).
        let tookAll: Bool

        /// Nothing pending, or another instance holds the subscriber's lease.
        static let none = BatchDelivery(posted: [], tookAll: true)
    }

    /// Acknowledges the events `posted` before (the subscriber answered 2xx), then delivers the
    /// oldest pending batch of up to `batchSize` events, both in one statement. Not holding the
    /// lease, it does neither.
    func deliverBatch(to subscriber: EventSubscriber, acknowledging posted: [Int64], batchSize: Int) async throws -> BatchDelivery {
        guard try await holdLease(of: subscriber) else { return .none }
        let logger = outbox.logger
        // The acknowledged deliveries, and those of their events no other subscriber still awaits.
        // Every part of the statement reads the tables as they were before it, so when two
        // subscribers' relays acknowledge one event at once, neither sees the other's delete and
        // both leave the event: `settleLeftovers` removes it later.
        let rows = try await outbox.client.query(
            """
            WITH acknowledged AS (
                DELETE FROM outbox_deliveries WHERE subscriber = \(subscriber.name) AND seq = ANY(\(posted))
            ), settled AS (
                DELETE FROM outbox_events e WHERE e.seq = ANY(\(posted))
                  AND NOT EXISTS (SELECT 1 FROM outbox_deliveries d WHERE d.seq = e.seq AND d.subscriber <> \(subscriber.name))
            )
            SELECT e.seq, e.id, e.type, e.stream, e.occurred_at, e.data::text, e.trace_parent
            FROM outbox_deliveries d JOIN outbox_events e ON e.seq = d.seq
            WHERE d.subscriber = \(subscriber.name) AND NOT d.seq = ANY(\(posted))
            ORDER BY d.seq LIMIT \(batchSize)
            """, logger: logger)
        // Each event's JSON is written around its stored payload text, never parsed here.
        var seqs: [Int64] = []
        var events: [String] = []
        var spans: [any Span] = []
        var bytes = 0
        var cutShort = false
        let columns = (Int64, UUID, String, String, Date, String, String?).self
        for try await (seq, id, type, stream, occurredAt, data, traceParent) in rows.decode(columns) {
            bytes += data.utf8.count
            if !events.isEmpty && bytes > timing.maxBatchBytes {
                cutShort = true
                break
            }
            let span = traceParent.map { deliverySpan(of: id, type: type, continuing: $0, to: subscriber) }
            if let span { spans.append(span) }
            seqs.append(seq)
            events.append(Event.jsonText(
                id: id, type: type, stream: stream, occurredAt: occurredAt, dataText: data,
                traceParent: span.flatMap { outbox.tracer.traceParent(of: $0.context) }))
        }
        guard !events.isEmpty else { return .none }
        defer { for span in spans { span.end() } }
        do {
            try await post(#"{"events":["# + events.joined(separator: ",") + "]}", to: subscriber, seqs: seqs)
        } catch {
            for span in spans { span.recordError(error) }
            throw error
        }
        return BatchDelivery(posted: seqs, tookAll: !cutShort && events.count < batchSize)
    }

    /// The span of one traced event's delivery to `subscriber`, a child of the work that emitted
    /// it; the consumer's span is its child in turn.
    private func deliverySpan(of id: UUID, type: String, continuing traceParent: String, to subscriber: EventSubscriber) -> any Span {
        let span = outbox.tracer.startSpan("\(type) send", context: outbox.tracer.context(continuing: traceParent), ofKind: .producer)
        span.updateAttributes { attributes in
            attributes["messaging.operation.type"] = "send"
            attributes["messaging.destination.name"] = subscriber.name
            attributes["messaging.message.id"] = id.apiString
        }
        return span
    }

    /// Whether this relay holds the subscriber's lease, taking or renewing it when due: it is
    /// free, lapsed, or this relay's own.
    private func holdLease(of subscriber: EventSubscriber) async throws -> Bool {
        let now = outbox.clock.now()
        if let until = outbox.leases.until(subscriber.name, holder: holder), until.timeIntervalSince(now) > timing.leaseDuration * 2 / 3 { return true }
        let until = now.addingTimeInterval(timing.leaseDuration)
        let held = try await outbox.client.query(
            """
            INSERT INTO outbox_relay_leases AS lease (subscriber, holder, expires_at) VALUES (\(subscriber.name), \(holder), \(until))
            ON CONFLICT (subscriber) DO UPDATE SET holder = excluded.holder, expires_at = excluded.expires_at
            WHERE lease.holder = excluded.holder OR lease.expires_at <= \(now)
            RETURNING holder
            """, logger: outbox.logger).hasRows()
        outbox.leases.set(subscriber.name, holder: holder, until: held ? until : nil)
        if held { try await settleLeftovers() }
        return held
    }

    /// Deletes the events no subscriber awaits that acknowledgements left behind (see
    /// `deliverBatch`): every event before the oldest pending delivery. Run when a lease is taken
    /// or renewed, every few seconds per subscriber, rather than with every batch. An event whose
    /// transaction has not committed is not seen, so not deleted.
    private func settleLeftovers() async throws {
        _ = try await outbox.client.query(
            "DELETE FROM outbox_events WHERE seq < (SELECT coalesce(min(seq), 9223372036854775807) FROM outbox_deliveries)",
            logger: outbox.logger)
    }

    private func post(_ batch: String, to subscriber: EventSubscriber, seqs: [Int64]) async throws {
        var request = HTTPClientRequest(url: subscriber.url + "/internal/events")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(serviceToken)")
        request.body = .bytes(ByteBuffer(string: batch))
        let response = try await httpClient.execute(request, timeout: timing.requestTimeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw EventDeliveryError(subscriber: subscriber.name, status: Int(response.status.code), seqs: seqs)
        }
    }
}

/// A subscriber answered a batch with something other than a 2xx.
struct EventDeliveryError: Error, CustomStringConvertible {
    let subscriber: String
    let status: Int
    /// The batch's events.
    let seqs: [Int64]

    /// The subscriber will not take this batch however often it is sent: a 4xx other than a
    /// timeout or a rate limit. (A 5xx is its own trouble, and may pass.)
    var isForGood: Bool { (400..<500).contains(status) && ![408, 425, 429].contains(status) }

    var description: String { "\(subscriber) answered \(status)" }
}

/// Which relay of this process holds each subscriber's lease, and until when by the outbox's clock
/// (the relays keep it; the outbox reads it to know whether to wake other instances).
final class LeaseBook: Sendable {
    private let leases = Mutex<[String: (holder: UUID, until: Date)]>([:])

    /// Until when `holder` holds the subscriber's lease (nil: it does not).
    func until(_ subscriber: String, holder: UUID) -> Date? {
        leases.withLock { $0[subscriber].flatMap { $0.holder == holder ? $0.until : nil } }
    }

    /// `holder` holds the lease until `date`, or (nil) does not hold it.
    func set(_ subscriber: String, holder: UUID, until date: Date?) {
        leases.withLock { leases in
            if let date {
                leases[subscriber] = (holder, date)
            } else if leases[subscriber]?.holder == holder {
                leases[subscriber] = nil
            }
        }
    }

    /// Whether some relay of this process holds every one of `subscribers`' leases at `now`.
    func holdsEvery(_ subscribers: [String], at now: Date) -> Bool {
        leases.withLock { leases in subscribers.allSatisfy { leases[$0].map { $0.until > now } ?? false } }
    }
}
