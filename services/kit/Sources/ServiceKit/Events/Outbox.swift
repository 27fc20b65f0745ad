import Foundation
import Logging
import PostgresNIO
import Synchronization
import Tracing

/// The producer side of events: a change and the events describing it commit together or not at
/// all (transactional outbox). The relay delivers them afterwards.
public struct Outbox: Sendable {
    let client: PostgresClient
    /// Every event gets one delivery row per subscriber; the relay delivers to each.
    let subscribers: [EventSubscriber]
    let clock: WallClock
    let logger: Logger
    /// Each event keeps the trace of the change that emitted it (`trace_parent`), which the relay
    /// and the consumers continue.
    let tracer: any Tracer
    /// One per subscriber, rung after each commit that emitted events.
    let doorbells: [String: Doorbell]
    /// The subscribers' leases this process's relay holds.
    let leases = LeaseBook()
    let eventIDs = EventIDs()

    public init(client: PostgresClient, subscribers: [EventSubscriber], clock: WallClock, logger: Logger, tracer: any Tracer = NoOpTracer()) {
        self.client = client
        self.subscribers = subscribers
        self.clock = clock
        self.logger = logger
        self.tracer = tracer
        self.doorbells = Dictionary(uniqueKeysWithValues: subscribers.map { ($0.name, Doorbell()) })
    }

    /// Runs `body` in one transaction; the events it emits are committed with its changes, and
    /// the relay is woken once they are: this process's by its doorbells, another instance's
    /// (holding a lease this one does not) by a `NOTIFY` that Postgres sends at commit. Only then,
    /// as a notifying commit takes a lock every other notifying commit of the cluster waits for.
    public func transaction<T: Sendable>(_ body: (EventTransaction) async throws -> T) async throws -> T {
        let state = TransactionState()
        let result = try await client.transaction(logger: logger) { connection in
            let result = try await body(EventTransaction(connection: connection, outbox: self, state: state))
            if state.emitted, !leases.holdsEvery(subscribers.map(\.name), at: clock.now()) {
                try await connection.query("SELECT pg_notify(\(Self.commitChannelPrefix) || current_schema(), '')", logger: logger)
            }
            return result
        }
        if state.emitted {
            for doorbell in doorbells.values { doorbell.ring() }
        }
        return result
    }

    /// The channel an instance of the service owning `schema` notifies when it commits events.
    static func commitChannel(schema: String) -> String { commitChannelPrefix + schema }
    private static let commitChannelPrefix = "outbox_events_"

    /// Held until commit: a later writer to the same stream waits, so it gets a later `seq` (and
    /// id) and commits later, and the relay never sees a stream's events out of order. Keyed by
    /// schema too: services sharing a database use the same room ids as streams.
    fileprivate func lock(stream: String, on connection: PostgresConnection) async throws {
        try await connection.query(
            "SELECT pg_advisory_xact_lock(hashtextextended(current_schema() || ':' || \(stream), 0))", logger: logger)
    }

    /// Many streams' locks in one statement, in one order (so two transactions locking some of
    /// the same streams never deadlock).
    fileprivate func lock(streams: [String], on connection: PostgresConnection) async throws {
        let sorted = Set(streams).sorted()
        guard !sorted.isEmpty else { return }
        try await connection.query(
            """
            SELECT count(pg_advisory_xact_lock(hashtextextended(current_schema() || ':' || stream, 0)))
            FROM unnest(\(sorted)::text[]) AS stream
            """, logger: logger)
    }

    /// One event of `type` on each stream of `items`, written in one statement: a fan-out costs
    /// two round trips however many streams it reaches.
    fileprivate func append(type: String, each items: [(stream: String, data: JSONValue)], on connection: PostgresConnection) async throws {
        let now = clock.now()
        let ids = items.map { _ in eventIDs.next(at: now) }
        let texts = items.map(\.data.jsonText)
        try await connection.query(
            """
            WITH events AS (
                INSERT INTO outbox_events (id, stream, type, occurred_at, data, trace_parent)
                SELECT id, stream, \(type), \(now), data::jsonb, \(currentTraceParent)
                FROM unnest(\(ids)::uuid[], \(items.map(\.stream))::text[], \(texts)::text[]) AS e(id, stream, data)
                RETURNING seq
            )
            INSERT INTO outbox_deliveries (subscriber, seq)
            SELECT subscriber, seq FROM events, unnest(\(subscribers.map(\.name))::text[]) AS subscriber
            """, logger: logger)
    }

    /// The trace of the work emitting events now (the request being answered, say).
    private var currentTraceParent: String? {
        tracer.traceParent(of: InstrumentationContext.current ?? .topLevel)
    }

    /// One event of `type` on `stream`, its payload already JSON text.
    fileprivate func append(type: String, stream: String, json: String, on connection: PostgresConnection) async throws {
        let now = clock.now()
        try await connection.query(
            """
            WITH event AS (
                INSERT INTO outbox_events (id, stream, type, occurred_at, data, trace_parent)
                VALUES (\(eventIDs.next(at: now)), \(stream), \(type), \(now), \(json)::jsonb, \(currentTraceParent))
                RETURNING seq
            )
            INSERT INTO outbox_deliveries (subscriber, seq) SELECT unnest(\(subscribers.map(\.name))::text[]), seq FROM event
            """, logger: logger)
    }
}

/// A transaction that can emit events: its connection for the change itself, and `emit`.
public struct EventTransaction: Sendable {
    public let connection: PostgresConnection
    let outbox: Outbox
    let state: TransactionState

    /// Takes the stream's lock now rather than at the first `emit`: what the transaction reads
    /// after this sees every earlier event of the stream committed, so a payload computed from
    /// it (a count, say) is not overtaken by an event committed in between. A stream already
    /// locked in this transaction costs nothing more.
    public func lock(stream: String) async throws {
        guard state.lacksLock(on: [stream]) == [stream] else { return }
        try await outbox.lock(stream: stream, on: connection)
        state.locked([stream])
    }

    /// Takes the locks of many streams now, in one order (see `lock(stream:)`).
    public func lock(streams: [String]) async throws {
        let missing = state.lacksLock(on: streams)
        guard !missing.isEmpty else { return }
        try await outbox.lock(streams: missing, on: connection)
        state.locked(missing)
    }

    /// One event of `type` on each of many streams (a fan-out), written at once.
    public func emit(_ type: String, toEach items: [(stream: String, data: JSONValue)]) async throws {
        guard !outbox.subscribers.isEmpty, !items.isEmpty else { return }
        try await lock(streams: items.map(\.stream))
        try await outbox.append(type: type, each: items, on: connection)
        state.emitted = true
    }

    /// One event of `type` on `stream`; `data` is written with API coding (snake_case keys,
    /// RFC 3339 dates) straight to the JSON text the outbox stores.
    public func emit(_ type: String, stream: String, data: some Encodable & Sendable) async throws {
        guard !outbox.subscribers.isEmpty else { return }
        let json = String(decoding: try APIJSON.encoder().encode(data), as: UTF8.self)
        try await lock(stream: stream)
        try await outbox.append(type: type, stream: stream, json: json, on: connection)
        state.emitted = true
    }
}

/// What a transaction did so far: whether it emitted anything (only then is the relay woken),
/// and which streams it locked (a lock is held until commit; taking it again is a wasted round trip).
final class TransactionState: Sendable {
    private let state = Mutex<(emitted: Bool, locked: Set<String>)>((false, []))

    var emitted: Bool {
        get { state.withLock { $0.emitted } }
        set { state.withLock { $0.emitted = newValue } }
    }

    /// Those of `streams` not locked yet.
    func lacksLock(on streams: [String]) -> [String] {
        state.withLock { state in streams.filter { !state.locked.contains($0) } }
    }

    func locked(_ streams: [String]) {
        state.withLock { $0.locked.formUnion(streams) }
    }
}
