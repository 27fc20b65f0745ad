import Foundation
import ServiceKit
import Testing

/// `JSONValueDecoder` reads a parsed payload exactly as `APIJSON.decoder()` reads its text, and
/// refuses what that refuses.
@Suite struct JSONValueDecoderTests {
    struct Sender: Codable, Equatable {
        let id: UUID
        let displayName: String?
    }

    struct Payload: Codable, Equatable {
        let roomId: UUID
        let sender: Sender
        let mentionIds: [UUID]
        let createdAt: Date
        let unreadCount: Int
        let wasMember: Bool
        let parentId: UUID?
        let avatarUrl: URL?
        let counts: [String: Int]
        /// Passed on whole.
        let room: JSONValue
    }

    static let text = """
        {"room_id": "0199e0a4-3c1c-7000-8000-000000000001", "sender": {"id": "0199e0a4-3c1c-7000-8000-000000000002", "display_name": null},
         "mention_ids": ["0199e0a4-3c1c-7000-8000-000000000003"], "created_at": "2026-12-06T19:32:11.042Z", "unread_count": 3,
         "was_member": true, "avatar_url": "/media/a.png", "counts": {"thumbsUp": 2}, "room": {"id": "x", "topic": ["a", 1]},
         "ignored": {"by": "every consumer"}}
        """

    @Test func readsWhatAPIJSONReadsFromTheText() throws {
        let parsed = try JSONValue(parsing: Self.text)
        let fromValue = try JSONValueDecoder.decode(Payload.self, from: parsed)
        let fromText = try APIJSON.decoder().decode(Payload.self, from: Data(Self.text.utf8))
        #expect(fromValue == fromText)
        #expect(fromValue.parentId == nil && fromValue.sender.displayName == nil)
        #expect(fromValue.room == parsed["room"])
        #expect(fromValue.counts == ["thumbsUp": 2])
    }

    @Test func refusesWhatDoesNotFit() throws {
        func decode(replacing key: String, with value: JSONValue?) throws -> Payload {
            guard case .object(var fields) = try JSONValue(parsing: Self.text) else { throw CancellationError() }
            fields[key] = value
            return try JSONValueDecoder.decode(Payload.self, from: .object(fields))
        }
        #expect(throws: DecodingError.self) { try decode(replacing: "room_id", with: nil) }
        #expect(throws: DecodingError.self) { try decode(replacing: "room_id", with: .string("not a uuid")) }
        #expect(throws: DecodingError.self) { try decode(replacing: "unread_count", with: .number(2.5)) }
        #expect(throws: DecodingError.self) { try decode(replacing: "created_at", with: .string("yesterday")) }
        #expect(throws: DecodingError.self) { try decode(replacing: "was_member", with: .string("true")) }
        #expect(throws: DecodingError.self) { try decode(replacing: "mention_ids", with: .object([:])) }
        #expect(throws: DecodingError.self) { try JSONValueDecoder.decode(Payload.self, from: .array([])) }
    }

    @Test func keysAreSpelledAsTheEncoderWritesThem() throws {
        struct Names: Encodable { let roomId = 1, userID = 2, avatarURL = 3, id = 4 }
        let written = try JSONValue(parsing: APIJSON.encoder().encode(Names()))
        guard case .object(let fields) = written else { throw CancellationError() }
        #expect(fields.count == 4)
        for name in ["roomId", "userID", "avatarURL", "id"] {
            #expect(fields[JSONValueDecoder.snakeCase(name)] != nil, "\(name) → \(JSONValueDecoder.snakeCase(name))")
        }
    }
}
