import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// Pinned messages of rooms.
struct PinStore: Sendable {
    let logger: Logger

    /// False when the message was already pinned.
    func pin(_ pin: Pin, in room: UUID, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run(
            """
            INSERT INTO pins (room_id, message_id, pinned_by, pinned_at) VALUES (\(room), \(pin.messageID), \(pin.pinnedBy), \(pin.pinnedAt))
            ON CONFLICT DO NOTHING RETURNING message_id
            """, logger: logger).hasRows()
    }

    /// False when the message was not pinned.
    func unpin(_ messageID: UUID, in room: UUID, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run("DELETE FROM pins WHERE room_id = \(room) AND message_id = \(messageID) RETURNING message_id", logger: logger)
            .hasRows()
    }

    /// The room's pins, most recently pinned first.
    func pins(in room: UUID, on db: some PostgresQueryable) async throws -> [Pin] {
        let rows = try await db.run(
            "SELECT message_id, pinned_by, pinned_at FROM pins WHERE room_id = \(room) ORDER BY pinned_at DESC, message_id", logger: logger)
        var pins: [Pin] = []
        for try await (message, by, at) in rows.decode((UUID, UUID, Date).self) { pins.append(Pin(messageID: message, pinnedBy: by, pinnedAt: at)) }
        return pins
    }

    func count(in room: UUID, on db: some PostgresQueryable) async throws -> Int {
        try await db.run("SELECT count(*)::int FROM pins WHERE room_id = \(room)", logger: logger).all(Int.self).first ?? 0
    }
}
