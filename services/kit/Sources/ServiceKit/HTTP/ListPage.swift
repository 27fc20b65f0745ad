import Hummingbird

/// A page of a list, as API.md shapes lists: the items under a key naming what they are
/// (`rooms`, `members`, ...) and `next_cursor` (null on the last page).
public struct ListPage<Item: Encodable & Sendable>: ResponseEncodable, Sendable {
    public let key: String
    public let items: [Item]
    public let nextCursor: String?

    public init(_ key: String, items: [Item], nextCursor: String?) {
        self.key = key
        self.items = items
        self.nextCursor = nextCursor
    }

    private struct Key: CodingKey {
        let stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: Key.self)
        try container.encode(items, forKey: Key(stringValue: key))
        try container.encode(nextCursor, forKey: Key(stringValue: "next_cursor"))
    }
}
