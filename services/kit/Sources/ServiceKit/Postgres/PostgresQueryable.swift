import Logging
import PostgresNIO

/// The pool or one connection (inside a transaction): stores take either, so one store method
/// serves a plain read and a write that must commit with its events.
public protocol PostgresQueryable: Sendable {
    func run(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence
}

extension PostgresClient: PostgresQueryable {
    public func run(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try await self.query(query, logger: logger)
    }
}

extension PostgresConnection: PostgresQueryable {
    public func run(_ query: PostgresQuery, logger: Logger) async throws -> PostgresRowSequence {
        try await self.query(query, logger: logger)
    }
}

extension PostgresRowSequence {
    /// Every row decoded as `T`.
    public func all<T: PostgresDecodable>(_ type: T.Type = T.self) async throws -> [T] {
        var values: [T] = []
        for try await value in decode(T.self) { values.append(value) }
        return values
    }

    /// Whether the query returned at least one row (reads them all).
    public func hasRows() async throws -> Bool {
        var found = false
        for try await _ in self { found = true }
        return found
    }
}

extension String {
    /// The text with LIKE's wildcards escaped, for a bound `LIKE` pattern that matches it literally.
    public var likeEscaped: String {
        replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "%", with: "\\%").replacingOccurrences(of: "_", with: "\\_")
    }
}
