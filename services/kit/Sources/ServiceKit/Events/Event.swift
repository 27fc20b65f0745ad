import Foundation
import Logging

/// A fact one service tells the others: `room_created`, `message_created`, ... `stream` is the
/// ordering key (a room id): a subscriber gets the events of one stream in the order they happened.
public struct Event: Codable, Sendable, Equatable {
    /// A UUIDv7, so ids sort by time; consumers apply each id once.
    public let id: UUID
    public let type: String
    public let stream: String
    public let occurredAt: Date
    /// The payload, with API.md key spelling (snake_case).
    public let data: JSONValue
    /// The W3C `traceparent` of the relay's span that delivered it (nil when it was not traced):
    /// a consumer's span continues that trace.
    public let traceParent: String?

    public init(id: UUID, type: String, stream: String, occurredAt: Date, data: JSONValue, traceParent: String? = nil) {
        self.id = id
        self.type = type
        self.stream = stream
        self.occurredAt = occurredAt
        self.data = data
        self.traceParent = traceParent
    }

    /// The payload decoded as a consumer's own view of it (API spelling mapped to Swift names);
    /// nil, logged, when it does not fit. Delivering a malformed event again cannot mend it, so a
    /// consumer skips it rather than fail and hold up the stream behind it.
    public func payload<T: Decodable>(as type: T.Type, logger: Logger) -> T? {
        do {
            return try JSONValueDecoder.decode(T.self, from: data)
        } catch {
            logger.error("skipping an event whose payload does not decode", metadata: [
                "event_id": "\(id.apiString)", "event_type": "\(type)", "error": "\(error)",
            ])
            return nil
        }
    }

    enum CodingKeys: String, CodingKey {
        case id, type, stream, data
        case occurredAt = "occurred_at"
        case traceParent = "trace_parent"
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(id.apiString, forKey: .id)
        try container.encode(type, forKey: .type)
        try container.encode(stream, forKey: .stream)
        try container.encode(occurredAt, forKey: .occurredAt)
        try container.encode(data, forKey: .data)
        try container.encodeIfPresent(traceParent, forKey: .traceParent)
    }
}

/// What the relay posts to a subscriber's `POST /internal/events`, oldest first.
public struct EventBatch: Codable, Sendable {
    public let events: [Event]

    public init(events: [Event]) {
        self.events = events
    }

    /// A batch as the relay sends it, read with `JSONParser`: several times faster than
    /// `Decodable` for the free-form payloads, which matters to consumers taking thousands a second.
    public static func parse(_ data: Data) throws -> EventBatch {
        guard let root = try? JSONValue(parsing: data), let events = root["events"]?.arrayValue else {
            throw AppError.badRequest("body is not an event batch")
        }
        return EventBatch(events: try events.map { event in
            guard let event = Event(parsed: event) else { throw AppError.badRequest("body is not an event batch") }
            return event
        })
    }
}

extension Event {
    /// The event's JSON as it travels (the keys of its `Encodable` form), written directly: the
    /// relay and the gateway pass on thousands a second, and an encoder costs more than the rest.
    public var jsonText: String {
        Self.jsonText(id: id, type: type, stream: stream, occurredAt: occurredAt, dataText: data.jsonText, traceParent: traceParent)
    }

    /// `jsonText` with the payload already JSON text (as the outbox stores it).
    static func jsonText(id: UUID, type: String, stream: String, occurredAt: Date, dataText: String, traceParent: String?) -> String {
        #"{"id":"# + JSONValue.string(id.apiString).jsonText + #","type":"# + JSONValue.string(type).jsonText
            + #","stream":"# + JSONValue.string(stream).jsonText + #","occurred_at":"#
            + JSONValue.string(Timestamp.format(occurredAt)).jsonText
            + (traceParent.map { #","trace_parent":"# + JSONValue.string($0).jsonText } ?? "")
            + #","data":"# + dataText + "}"
    }

    /// An event from its parsed JSON (as `EventBatch.parse` reads it); nil when it is not one.
    public init?(parsed event: JSONValue) {
        guard let id = event["id"]?.stringValue.flatMap(UUID.init(uuidString:)), let type = event["type"]?.stringValue,
            let stream = event["stream"]?.stringValue, let occurredAt = event["occurred_at"]?.stringValue.flatMap(Timestamp.parse),
            let data = event["data"]
        else { return nil }
        self.init(id: id, type: type, stream: stream, occurredAt: occurredAt, data: data, traceParent: event["trace_parent"]?.stringValue)
    }
}

/// Events travel with their keys exactly as written: the payload already has API spelling, and
/// API coding would re-case the keys of `data`'s objects.
public enum EventJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = APIJSON.encoder().dateEncodingStrategy
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = APIJSON.decoder().dateDecodingStrategy
        return decoder
    }

    /// An API-encoded value (snake_case keys, RFC 3339 dates) as a JSON tree for `Event.data`.
    public static func value(of payload: some Encodable) throws -> JSONValue {
        try JSONValue(parsing: APIJSON.encoder().encode(payload))
    }
}

extension UUID {
    /// A time-ordered UUIDv7 (RFC 9562): 48 bits of Unix milliseconds, then random bits.
    public static func v7(at date: Date = Date()) -> UUID {
        v7(millis: UInt64(max(0, date.timeIntervalSince1970 * 1000)), counter: UInt16.random(in: 0...0xFFF))
    }

    /// `counter` (12 bits) fills `rand_a`, right after the milliseconds, so it orders ids made in
    /// one millisecond.
    static func v7(millis: UInt64, counter: UInt16) -> UUID {
        var bytes = (0..<16).map { _ in UInt8.random(in: .min ... .max) }
        for index in 0..<6 { bytes[index] = UInt8(truncatingIfNeeded: millis >> (8 * (5 - UInt64(index)))) }
        bytes[6] = 0x70 | UInt8(truncatingIfNeeded: (counter >> 8) & 0x0F)
        bytes[7] = UInt8(truncatingIfNeeded: counter)
        bytes[8] = (bytes[8] & 0x3F) | 0x80
        return UUID(uuid: (bytes[0], bytes[1], bytes[2], bytes[3], bytes[4], bytes[5], bytes[6], bytes[7],
                           bytes[8], bytes[9], bytes[10], bytes[11], bytes[12], bytes[13], bytes[14], bytes[15]))
    }
}

extension UUID {
    /// The id as API.md writes it: lowercase. (Foundation's `uuidString`, and so `Codable`, is uppercase.)
    public var apiString: String { uuidString.lowercased() }
}
