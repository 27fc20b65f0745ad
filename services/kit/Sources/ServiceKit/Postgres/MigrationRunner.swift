import Foundation
import Logging
import PostgresNIO

/// Applies a service's `Migrations/NNNN_name.sql` files (and ServiceKit's own, numbered from 10001)
/// in order, each once, each in its own transaction, and records them in `<schema>.schema_migrations`.
public struct MigrationRunner: Sendable {
    let client: PostgresClient
    let schema: String
    let directories: [URL]
    let logger: Logger

    /// `directory` is the service's own; ServiceKit's event tables are always included.
    public init(client: PostgresClient, schema: String, directory: URL, logger: Logger) {
        self.init(client: client, schema: schema, directories: [directory, Self.serviceKitMigrations], logger: logger)
    }

    init(client: PostgresClient, schema: String, directories: [URL], logger: Logger) {
        self.client = client
        self.schema = schema
        self.directories = directories
        self.logger = logger
    }

    static let serviceKitMigrations = Bundle.module.resourceURL!.appendingPathComponent("Migrations")

    struct Migration {
        let version: Int
        let name: String
        let sql: String
    }

    public func run() async throws {
        let migrations = try loadMigrations()
        guard SQLIdentifier.isValid(schema) else { throw AppError.internal("invalid schema name \(schema)") }
        try await client.withConnection { connection in
            // Advisory lock: two instances starting together must not both migrate.
            let lockKey = Int64(truncatingIfNeeded: schema.utf8.reduce(UInt64(1469598103934665603)) { ($0 ^ UInt64($1)) &* 1099511628211 })
            try await connection.query("SELECT pg_advisory_lock(\(lockKey))", logger: logger)
            do {
                try await applyPending(migrations, on: connection)
                try await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
            } catch {
                _ = try? await connection.query("SELECT pg_advisory_unlock(\(lockKey))", logger: logger)
                throw error
            }
        }
    }

    private func applyPending(_ migrations: [Migration], on connection: PostgresConnection) async throws {
        // A service's role owns its schema but may not create schemas (compose/postgres-roles.sql
        // makes them): only a schema that is missing (a test's own) is created here. The name is
        // checked by SQLIdentifier; identifiers cannot be bound.
        let exists = try await connection.query("SELECT 1 FROM pg_namespace WHERE nspname = \(schema)", logger: logger)
        if !(try await exists.hasRows()) {
            try await connection.query(PostgresQuery(unsafeSQL: "CREATE SCHEMA IF NOT EXISTS \"\(schema)\""), logger: logger)
        }
        try await connection.query(
            PostgresQuery(unsafeSQL: """
                CREATE TABLE IF NOT EXISTS "\(schema)".schema_migrations (
                    version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())
                """), logger: logger)
        var applied = Set<Int>()
        let rows = try await connection.query(PostgresQuery(unsafeSQL: "SELECT version FROM \"\(schema)\".schema_migrations"), logger: logger)
        for try await version in rows.decode(Int.self) { applied.insert(version) }

        for migration in migrations where !applied.contains(migration.version) {
            try await connection.withTransaction(logger: logger) { transaction in
                for statement in SQLScript.statements(in: migration.sql) {
                    try await transaction.query(PostgresQuery(unsafeSQL: statement), logger: logger)
                }
                try await transaction.query(
                    "INSERT INTO \(unescaped: "\"\(schema)\"").schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))",
                    logger: logger)
            }
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
        }
    }

    func loadMigrations() throws -> [Migration] {
        let files = try directories.flatMap { try FileManager.default.contentsOfDirectory(at: $0, includingPropertiesForKeys: nil) }
        let migrations = try files.filter { $0.pathExtension == "sql" }.map { file in
            let name = file.deletingPathExtension().lastPathComponent
            guard let version = Int(name.prefix { $0.isNumber }), version > 0 else {
                throw AppError.internal("migration \(file.lastPathComponent) must start with its number")
            }
            return Migration(version: version, name: name, sql: try String(contentsOf: file, encoding: .utf8))
        }.sorted { $0.version < $1.version }
        let versions = migrations.map(\.version)
        guard Set(versions).count == versions.count else { throw AppError.internal("two migrations share a number") }
        return migrations
    }
}
