import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// A timestamp comes back from Postgres as the same text it went in as: rooms compares a room's
/// `last_message_at` (stored there) with the message's `created_at` to the millisecond.
@Suite struct TimestampTests {
    @Test func everyMillisecondSurvivesAPostgresRoundTrip() async throws {
        try await TestPostgres.shared.withClient(schema: "public") { client in
            let written = (0..<1000).map { String(format: "2026-12-06T19:32:11.%03dZ", $0) }
            let dates = try written.map { try #require(Timestamp.parse($0)) }
            let rows = try await client.query("SELECT unnest(\(dates)::timestamptz[])", logger: Logger(label: "test"))
            var read: [String] = []
            for try await date in rows.decode(Date.self) { read.append(Timestamp.format(date)) }
            #expect(read == written)
        }
    }

    @Test func formatsRoundToTheMillisecondAcrossSecondsAndBeforeTheEpoch() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 59.9996)) == "1970-01-01T00:01:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: -0.25)) == "1969-12-31T23:59:59.750Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_800_000_000.0424)) == "2027-01-15T08:00:00.042Z")
    }
}
