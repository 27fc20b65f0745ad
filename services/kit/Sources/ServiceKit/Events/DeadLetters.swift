import Foundation
import Hummingbird
import Logging
import Metrics
import PostgresNIO

/// Events a subscriber refused for good, set aside so its streams move on (`OutboxRelay`), and
/// put back on an operator's word once the subscriber is fixed. A replayed event is delivered
/// again after what its stream sent meanwhile; the subscriber's inbox still applies each id once.
public struct DeadLetters: Sendable {
    let outbox: Outbox

    public init(outbox: Outbox) {
        self.outbox = outbox
    }

    /// Takes the event `seq` out of `subscriber`'s deliveries and keeps it whole, with the status
    /// the subscriber answered, in one statement.
    func record(seq: Int64, subscriber: String, status: Int) async throws {
        try await outbox.client.query(
            """
            WITH refused AS (
                DELETE FROM outbox_deliveries WHERE subscriber = \(subscriber) AND seq = \(seq) RETURNING seq
            )
            INSERT INTO outbox_dead_letters (subscriber, event_id, stream, type, occurred_at, data, status, failed_at)
            SELECT \(subscriber), e.id, e.stream, e.type, e.occurred_at, e.data, \(status), \(outbox.clock.now())
            FROM outbox_events e JOIN refused USING (seq)
            """, logger: outbox.logger)
        Counter(label: "outbox_dead_letters_total", dimensions: [("subscriber", subscriber)]).increment()
    }

    /// The dead letters, oldest first (at most `limit`).
    public func list(limit: Int = 100) async throws -> [DeadLetter] {
        var letters: [DeadLetter] = []
        let rows = try await outbox.client.query(
            "SELECT subscriber, event_id, stream, type, status, failed_at FROM outbox_dead_letters ORDER BY id LIMIT \(limit)",
            logger: outbox.logger)
        for try await (subscriber, eventID, stream, type, status, failedAt) in rows.decode((String, UUID, String, String, Int, Date).self) {
            letters.append(DeadLetter(subscriber: subscriber, eventId: eventID, stream: stream, type: type, status: status, failedAt: failedAt))
        }
        return letters
    }

    /// Puts the dead letters (of `subscriber`, or all) back in the outbox for delivery, in one
    /// transaction; returns how many. An event still in the outbox (other subscribers await it)
    /// gets its delivery row back; one already deleted is written again under its own id.
    public func replay(subscriber: String?) async throws -> Int {
        let replayed = try await outbox.transaction { tx in
            try await tx.connection.query(
                """
                WITH replayed AS (
                    DELETE FROM outbox_dead_letters WHERE \(subscriber)::text IS NULL OR subscriber = \(subscriber) RETURNING *
                ), events AS (
                    INSERT INTO outbox_events (id, stream, type, occurred_at, data)
                    SELECT DISTINCT ON (event_id) event_id, stream, type, occurred_at, data FROM replayed ORDER BY event_id
                    ON CONFLICT (id) DO UPDATE SET id = excluded.id
                    RETURNING seq, id
                )
                INSERT INTO outbox_deliveries (subscriber, seq)
                SELECT r.subscriber, e.seq FROM replayed r JOIN events e ON e.id = r.event_id
                ON CONFLICT DO NOTHING
                RETURNING seq
                """, logger: outbox.logger
            ).collect().count
        }
        if replayed > 0 {
            for doorbell in outbox.doorbells.values { doorbell.ring() }
        }
        return replayed
    }

    /// `GET /internal/dead-letters` (the oldest 100) and `POST /internal/dead-letters/replay`
    /// (body `{"subscriber": "notify"}`, or `{}` for all; answers `{"replayed": n}`), behind the
    /// service credential.
    public func addRoutes<Context: RequestContext>(to router: Router<Context>, serviceToken: String) {
        let group = router.group("/internal/dead-letters").add(middleware: ServiceTokenMiddleware(token: serviceToken))
        group.get { _, _ in DeadLetterList(deadLetters: try await list()) }
        group.post("/replay") { request, context -> ReplayResult in
            let body = try await request.decode(as: ReplayRequest.self, context: context)
            return ReplayResult(replayed: try await replay(subscriber: body.subscriber))
        }
    }
}

public struct DeadLetter: Codable, Sendable, Equatable {
    public let subscriber: String
    public let eventId: UUID
    public let stream: String
    public let type: String
    public let status: Int
    public let failedAt: Date
}

struct DeadLetterList: ResponseEncodable {
    let deadLetters: [DeadLetter]
}

struct ReplayRequest: Decodable {
    let subscriber: String?
}

struct ReplayResult: ResponseEncodable {
    let replayed: Int
}
