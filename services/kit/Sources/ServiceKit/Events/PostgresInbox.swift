import Foundation
import Logging
import PostgresNIO

/// Applies each event id once: the id is recorded in `inbox_events` in the same transaction as
/// the change the event causes, so a redelivered event finds its id and changes nothing.
public struct PostgresInbox: Sendable {
    let client: PostgresClient
    let logger: Logger

    public init(client: PostgresClient, logger: Logger) {
        self.client = client
        self.logger = logger
    }

    /// Runs `apply` for `event` unless it was applied before; returns whether it ran.
    @discardableResult
    public func applyOnce(_ event: Event, _ apply: (PostgresConnection) async throws -> Void) async throws -> Bool {
        try await client.transaction(logger: logger) { connection in
            guard try await Self.claim(event, on: connection, logger: logger) else { return false }
            try await apply(connection)
            return true
        }
    }

    /// Runs `apply` for each of the batch's events not applied before, oldest first, all in one
    /// transaction with one claim: a batch costs a few round trips, not a few per event.
    public func applyEachOnce(_ events: [Event], _ apply: (Event, PostgresConnection) async throws -> Void) async throws {
        guard !events.isEmpty else { return }
        try await client.transaction(logger: logger) { connection in
            for event in try await Self.claim(events, on: connection, logger: logger) { try await apply(event, connection) }
        }
    }

    /// Records `event` as applied in the caller's transaction; false when it already was (the
    /// caller then changes nothing). For consumers whose change also emits events, inside
    /// `Outbox.transaction`.
    public static func claim(_ event: Event, on connection: PostgresConnection, logger: Logger) async throws -> Bool {
        try await connection.query(
            "INSERT INTO inbox_events (id) VALUES (\(event.id)) ON CONFLICT (id) DO NOTHING RETURNING id", logger: logger).hasRows()
    }

    /// The batch's events not applied before, oldest first, now recorded as applied in the
    /// caller's transaction: for consumers that apply a whole batch at once.
    public static func claim(_ events: [Event], on connection: PostgresConnection, logger: Logger) async throws -> [Event] {
        guard !events.isEmpty else { return [] }
        let fresh = Set(try await connection.query(
            "INSERT INTO inbox_events (id) SELECT unnest(\(events.map(\.id))::uuid[]) ON CONFLICT (id) DO NOTHING RETURNING id",
            logger: logger).all(UUID.self))
        return events.filter { fresh.contains($0.id) }
    }
}
