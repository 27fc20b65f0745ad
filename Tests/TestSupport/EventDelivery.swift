import Foundation
import HummingbirdTesting
import ServiceKit

extension Event {
    /// An event as a producer's relay would post it: `payload` (one of the producer's API types)
    /// written with API.md's spelling, a fresh time-ordered id, on `stream`.
    public static func made(_ type: String, stream: UUID, payload: some Encodable, at date: Date = Date()) throws -> Event {
        Event(id: EventIDs().next(at: date), type: type, stream: stream.apiString, occurredAt: date, data: try EventJSON.value(of: payload))
    }
}

extension TestClientProtocol {
    /// Posts `events` to this service's `POST /internal/events` with the service token, as a
    /// producer's relay does; fails unless they were accepted.
    public func deliver(_ events: [Event]) async throws {
        let batch = "{\"events\":[" + events.map(\.jsonText).joined(separator: ",") + "]}"
        let reply = try await call(.post, "/internal/events", rawBody: batch, token: TestEnvironment.serviceToken)
        guard (200..<300).contains(reply.status.code) else {
            throw TestFailure("the events were refused: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
    }
}
