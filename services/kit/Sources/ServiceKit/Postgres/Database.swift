import Foundation
import Logging
import PostgresNIO

extension PostgresClient {
    /// A pool whose connections see the service's own schema first (`search_path`), so queries
    /// name tables without a schema and no service reaches into another's tables by accident.
    public convenience init(settings: PostgresSettings, logger: Logger) throws {
        guard SQLIdentifier.isValid(settings.schema) else {
            throw AppError.internal("invalid schema name \(settings.schema)")
        }
        var configuration = PostgresClient.Configuration(
            host: settings.host, port: settings.port, username: settings.user,
            password: settings.password, database: settings.database, tls: .disable
        )
        configuration.options.maximumConnections = settings.maxConnections
        configuration.options.additionalStartupParameters = [("search_path", settings.schema)]
        self.init(configuration: configuration, backgroundLogger: logger)
    }

    /// Health probe: true when Postgres answers.
    public func ping(logger: Logger) async -> Bool {
        (try? await query("SELECT 1", logger: logger)) != nil
    }
}

/// Names that cannot be bound as parameters (schemas) are checked against this before use.
enum SQLIdentifier {
    static func isValid(_ name: String) -> Bool {
        guard let first = name.unicodeScalars.first, name.count <= 63 else { return false }
        let lower = CharacterSet.lowercaseLetters
        return (first == "_" || (first.isASCII && lower.contains(first)))
            && name.unicodeScalars.allSatisfy { $0.isASCII && ($0 == "_" || lower.contains($0) || CharacterSet.decimalDigits.contains($0)) }
    }
}

extension PostgresClient {
    /// `withTransaction`, but an error thrown by `body` comes out as itself rather than wrapped in
    /// `PostgresTransactionError`, so an `AppError` from inside a transaction still maps to its status.
    public func transaction<T: Sendable>(
        logger: Logger, isolation: isolated (any Actor)? = #isolation, _ body: (PostgresConnection) async throws -> sending T
    ) async throws -> sending T {
        do {
            return try await withTransaction(logger: logger, isolation: isolation, body)
        } catch let error as PostgresTransactionError {
            if let closureError = error.closureError { throw closureError }
            throw error
        }
    }
}
