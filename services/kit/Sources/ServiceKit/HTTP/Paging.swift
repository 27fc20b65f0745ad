import Foundation

/// A keyset position in a list sorted by time: the time in microseconds and the row's key (an id
/// or an invite code), carried in `PageRequest`'s opaque cursor.
public struct TimeCursor: Sendable {
    public let micros: Int64
    public let key: String

    public init(micros: Int64, key: String) {
        self.micros = micros
        self.key = key
    }

    public init(micros: Int64, id: UUID) {
        self.init(micros: micros, key: id.uuidString.lowercased())
    }

    /// The page's cursor; a cursor the service did not write is 400.
    public static func from(_ page: PageRequest) throws -> TimeCursor? {
        guard let text = page.cursor else { return nil }
        let parts = text.split(separator: "|", maxSplits: 1)
        guard parts.count == 2, let micros = Int64(parts[0]) else { throw AppError.validation(field: "cursor", "cursor is not valid") }
        return TimeCursor(micros: micros, key: String(parts[1]))
    }

    /// The key as an id; nil (matching nothing) for a key that is not one.
    public var id: UUID? { UUID(uuidString: key) }

    public var text: String { PageRequest.cursor(for: "\(micros)|\(key)") }
}

/// A page of items fetched one past the limit: the items to show and the cursor after the last.
public struct Paged<Item> {
    public let items: [Item]
    public let nextCursor: String?

    public init(fetched: [(Item, TimeCursor)], limit: Int) {
        let shown = fetched.prefix(limit)
        self.items = shown.map(\.0)
        self.nextCursor = fetched.count > limit ? shown.last?.1.text : nil
    }

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }

    /// The same page with its items replaced (rows whose user auth no longer knows dropped),
    /// keeping the cursor of the rows fetched.
    public func replacingItems<Other>(_ transform: ([Item]) async throws -> [Other]) async rethrows -> Paged<Other> {
        Paged<Other>(items: try await transform(items), nextCursor: nextCursor)
    }
}
