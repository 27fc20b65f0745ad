import PostgresNIO

/// A statement put together from fixed SQL fragments chosen by code, with every value bound as a
/// parameter: for the searches whose shape depends on the query (how many terms, which filters).
struct SQLBuilder {
    private(set) var sql = ""
    private(set) var bindings = PostgresBindings()

    /// The placeholder (`$n`) of `value`, now bound.
    mutating func bind(_ value: some PostgresNonThrowingEncodable & Sendable) -> String {
        bindings.append(value)
        return "$\(bindings.count)"
    }

    mutating func append(_ fragment: String) {
        sql += fragment
    }

    var query: PostgresQuery { PostgresQuery(unsafeSQL: sql, binds: bindings) }
}
