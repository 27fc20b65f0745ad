import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceLifecycle

/// Delivers the outbox to each subscriber (`POST <url>/internal/events`) in `seq` order, in
/// batches, until each batch is acknowledged with a 2xx. A failed batch is retried with
/// exponential backoff and nothing behind it overtakes it, so a subscriber sees every stream in
/// order. Across instances of a service, an advisory lock lets one relay at a time deliver to a
/// given subscriber.
public struct OutboxRelay: Service {
    public struct Timing: Sendable {
        /// How often to look for events written by other instances (this one's wake the relay).
        public var pollInterval: Duration = .seconds(1)
        public var firstRetryDelay: Duration = .milliseconds(100)
        public var maxRetryDelay: Duration = .seconds(30)
        public var requestTimeout: TimeAmount = .seconds(10)
        public var batchSize = 100
        /// A batch stops growing past this many bytes of payload, so it stays well under the
        /// receivers' body limit (1 MiB by default) however large its events; one event always goes.
        public var maxBatchBytes = 256 * 1024

        public init() {}
    }

    let outbox: Outbox
    let httpClient: HTTPClient
    let serviceToken: String
    let timing: Timing

    /// Delivers to `outbox`'s subscribers.
    public init(outbox: Outbox, httpClient: HTTPClient, serviceToken: String, timing: Timing = Timing()) {
        self.outbox = outbox
        self.httpClient = httpClient
        self.serviceToken = serviceToken
        self.timing = timing
    }

    public func run() async throws {
        // A service that returns ends its service group: with no subscribers, idle until shutdown.
        guard !outbox.subscribers.isEmpty else { return try await gracefulShutdown() }
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                for subscriber in outbox.subscribers {
                    group.addTask { await deliverForever(to: subscriber) }
                }
            }
        }
    }

    private func deliverForever(to subscriber: EventSubscriber) async {
        let doorbell = outbox.doorbells[subscriber.name]!
        await waitForTables()
        var retryDelay = timing.firstRetryDelay
        while !Task.isCancelled {
            do {
                if try await deliverBatch(to: subscriber) == 0 {
                    await doorbell.wait(timeout: timing.pollInterval)
                }
                retryDelay = timing.firstRetryDelay
            } catch {
                guard !Task.isCancelled else { return }
                outbox.logger.warning(
                    "event delivery failed; retrying",
                    metadata: ["subscriber": "\(subscriber.name)", "retry_in": "\(retryDelay)", "error": "\(String(describing: error).prefix(300))"])
                try? await Task.sleep(for: retryDelay)
                retryDelay = min(retryDelay * 2, timing.maxRetryDelay)
            }
        }
    }

    /// Returns once the outbox's tables exist: the relay starts with the service, beside the
    /// migrations that make them, and would otherwise log failures for a moment at every start.
    private func waitForTables() async {
        while !Task.isCancelled {
            let exists = try? await outbox.client.query("SELECT to_regclass('outbox_deliveries') IS NOT NULL", logger: outbox.logger)
                .decode(Bool.self).first { _ in true }
            if exists == true { return }
            try? await Task.sleep(for: timing.firstRetryDelay)
        }
    }

    /// Delivers the oldest pending batch; returns how many events it acknowledged (0: none pending,
    /// or another instance is delivering to this subscriber).
    func deliverBatch(to subscriber: EventSubscriber) async throws -> Int {
        let logger = outbox.logger
        return try await outbox.client.transaction(logger: logger) { connection in
            // Keyed by schema too: every service's relay has a subscriber named like the gateway.
            let lockName = "outbox-relay:" + subscriber.name
            let locked = try await connection.query(
                "SELECT pg_try_advisory_xact_lock(hashtextextended(current_schema() || ':' || \(lockName), 0))", logger: logger)
            var acquired = false
            for try await granted in locked.decode(Bool.self) { acquired = granted }
            guard acquired else { return 0 }
            let rows = try await connection.query(
                """
                SELECT e.seq, e.id, e.type, e.stream, e.occurred_at, e.data::text
                FROM outbox_deliveries d JOIN outbox_events e ON e.seq = d.seq
                WHERE d.subscriber = \(subscriber.name)
                ORDER BY d.seq LIMIT \(timing.batchSize)
                """, logger: logger)
            // Each event's JSON is written around its stored payload text, never parsed here.
            var seqs: [Int64] = []
            var events: [String] = []
            var bytes = 0
            for try await (seq, id, type, stream, occurredAt, data) in rows.decode((Int64, UUID, String, String, Date, String).self) {
                bytes += data.utf8.count
                if !events.isEmpty && bytes > timing.maxBatchBytes { break }
                seqs.append(seq)
                events.append(Event.jsonText(id: id, type: type, stream: stream, occurredAt: occurredAt, dataText: data))
            }
            guard !events.isEmpty else { return 0 }
            try await post(#"{"events":["# + events.joined(separator: ",") + "]}", to: subscriber)
            try await connection.query(
                "DELETE FROM outbox_deliveries WHERE subscriber = \(subscriber.name) AND seq = ANY(\(seqs))", logger: logger)
            // Up to this batch's last event, not just its own: when two subscribers' relays
            // acknowledge one event at once, neither sees the other's delete and both leave it.
            try await connection.query(
                """
                DELETE FROM outbox_events e WHERE e.seq <= \(seqs.last!)
                  AND NOT EXISTS (SELECT 1 FROM outbox_deliveries d WHERE d.seq = e.seq)
                """, logger: logger)
            return events.count
        }
    }

    private func post(_ batch: String, to subscriber: EventSubscriber) async throws {
        var request = HTTPClientRequest(url: subscriber.url + "/internal/events")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "Authorization", value: "Bearer \(serviceToken)")
        request.body = .bytes(ByteBuffer(string: batch))
        let response = try await httpClient.execute(request, timeout: timing.requestTimeout)
        _ = try? await response.body.collect(upTo: 64 * 1024)
        guard (200..<300).contains(response.status.code) else {
            throw EventDeliveryError(subscriber: subscriber.name, status: Int(response.status.code))
        }
    }
}

struct EventDeliveryError: Error, CustomStringConvertible {
    let subscriber: String
    let status: Int

    var description: String { "\(subscriber) answered \(status)" }
}
