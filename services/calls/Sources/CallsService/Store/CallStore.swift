import CallsAPI
import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// The `calls` and `call_participants` tables. A call is read and written whole: its row and
/// its participants.
struct CallStore: Sendable {
    let db: PostgresClient
    let logger: Logger

    private static let callColumns = "id, room_id, kind, started_by, status, created_at, ring_until, answered_at, ended_at"
    private typealias CallRow = (UUID, UUID, String, UUID, String, Date, Date, Date?, Date?)

    /// Writes a new call and its participants; false when the room has a live call already.
    func insert(_ call: Call, callerSession: String?, on connection: PostgresConnection) async throws -> Bool {
        let inserted = try await connection.run(
            """
            INSERT INTO calls (id, room_id, kind, started_by, status, created_at, ring_until)
            VALUES (\(call.id), \(call.roomId), \(call.kind), \(call.startedBy), \(call.status), \(call.createdAt), \(call.ringUntil))
            ON CONFLICT (room_id) WHERE status IN ('ringing', 'active') DO NOTHING
            RETURNING 1
            """, logger: logger).hasRows()
        guard inserted else { return false }
        for participant in call.participants {
            try await write(participant, of: call.id, session: participant.userId == call.startedBy ? callerSession : nil, on: connection)
        }
        return true
    }

    func call(_ id: UUID, on db: some PostgresQueryable) async throws -> Call? {
        try await calls(db.run("SELECT \(unescaped: Self.callColumns) FROM calls WHERE id = \(id)", logger: logger), on: db).first
    }

    /// The call, its row locked until the transaction ends.
    func lock(_ id: UUID, on connection: PostgresConnection) async throws -> Call? {
        try await calls(connection.run("SELECT \(unescaped: Self.callColumns) FROM calls WHERE id = \(id) FOR UPDATE", logger: logger), on: connection).first
    }

    /// The room's live call, if any.
    func liveCall(in room: UUID) async throws -> Call? {
        try await calls(db.run(
            "SELECT \(unescaped: Self.callColumns) FROM calls WHERE room_id = \(room) AND status IN ('ringing', 'active')", logger: logger), on: db).first
    }

    /// Live calls with someone still ringing past `now`, with their rooms.
    func ringingPast(_ now: Date, limit: Int) async throws -> [(id: UUID, room: UUID)] {
        let rows = try await db.run(
            """
            SELECT c.id, c.room_id FROM calls c
            WHERE c.status IN ('ringing', 'active') AND c.ring_until <= \(now)
              AND EXISTS (SELECT 1 FROM call_participants p WHERE p.call_id = c.id AND p.state = 'ringing')
            ORDER BY c.ring_until LIMIT \(limit)
            """, logger: logger)
        var due: [(id: UUID, room: UUID)] = []
        for try await (id, room) in rows.decode((UUID, UUID).self) { due.append((id, room)) }
        return due
    }

    /// Writes the call's row and every participant as they now are.
    func update(_ call: Call, on connection: PostgresConnection) async throws {
        _ = try await connection.run(
            """
            UPDATE calls SET status = \(call.status), answered_at = \(call.answeredAt), ended_at = \(call.endedAt) WHERE id = \(call.id)
            """, logger: logger)
        for participant in call.participants { try await write(participant, of: call.id, session: nil, on: connection) }
    }

    func setSession(_ session: String?, of user: UUID, in call: UUID, on connection: PostgresConnection) async throws {
        _ = try await connection.run(
            "UPDATE call_participants SET session_id = \(session) WHERE call_id = \(call) AND user_id = \(user)", logger: logger)
    }

    /// The socket session each joined participant answered from (nil: all their sessions).
    func sessions(of call: UUID) async throws -> [UUID: String?] {
        var sessions: [UUID: String?] = [:]
        let rows = try await db.query(
            "SELECT user_id, session_id FROM call_participants WHERE call_id = \(call) AND state = 'joined'", logger: logger)
        for try await (user, session) in rows.decode((UUID, String?).self) { sessions[user] = session }
        return sessions
    }

    private func write(_ participant: CallParticipant, of call: UUID, session: String?, on connection: PostgresConnection) async throws {
        _ = try await connection.run(
            """
            INSERT INTO call_participants (call_id, user_id, state, session_id, joined_at, left_at)
            VALUES (\(call), \(participant.userId), \(participant.state), \(session), \(participant.joinedAt), \(participant.leftAt))
            ON CONFLICT (call_id, user_id) DO UPDATE SET state = EXCLUDED.state, joined_at = EXCLUDED.joined_at, left_at = EXCLUDED.left_at
            """, logger: logger)
    }

    private func calls(_ rows: PostgresRowSequence, on db: some PostgresQueryable) async throws -> [Call] {
        var found: [Call] = []
        for try await r in rows.decode(CallRow.self) {
            found.append(Call(
                id: r.0, roomId: r.1, kind: r.2, startedBy: r.3, status: r.4, createdAt: r.5, ringUntil: r.6, answeredAt: r.7, endedAt: r.8,
                participants: []))
        }
        guard !found.isEmpty else { return [] }
        let rows = try await db.run(
            """
            SELECT call_id, user_id, state, joined_at, left_at FROM call_participants WHERE call_id = ANY(\(found.map(\.id)))
            ORDER BY joined_at NULLS LAST, user_id
            """, logger: logger)
        var participants: [UUID: [CallParticipant]] = [:]
        for try await (call, user, state, joined, left) in rows.decode((UUID, UUID, String, Date?, Date?).self) {
            participants[call, default: []].append(CallParticipant(userId: user, state: state, joinedAt: joined, leftAt: left))
        }
        return found.map { call in
            var call = call
            call.participants = participants[call.id] ?? []
            return call
        }
    }
}
