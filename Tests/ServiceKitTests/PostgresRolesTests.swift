import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Each service connects as its own role (compose/postgres-roles.sql), which owns its schema and
/// can reach nothing else.
@Suite struct PostgresRolesTests {
    func client(_ user: String, schema: String, port: Int, database: String) throws -> PostgresClient {
        try PostgresClient(
            settings: PostgresSettings(host: "127.0.0.1", port: port, user: user, password: nil, database: database, schema: schema, maxConnections: 2),
            logger: Logger(label: "test"))
    }

    @Test func aServiceRoleOwnsItsSchemaAndCannotReadAnothers() async throws {
        let (port, database) = try await TestPostgres.shared.createDatabase()
        let auth = try client("parley_auth", schema: "auth", port: port, database: database)
        let messages = try client("parley_messages", schema: "messages", port: port, database: database)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await auth.run() }
            group.addTask { await messages.run() }
            let logger = Logger(label: "test")
            try await auth.query("CREATE TABLE secrets (value text)", logger: logger)
            try await auth.query("INSERT INTO secrets VALUES ('only auth reads this')", logger: logger)
            try await messages.query("CREATE TABLE notes (value text)", logger: logger)
            await #expect(throws: PSQLError.self) { try await messages.query("SELECT value FROM auth.secrets", logger: logger) }
            await #expect(throws: PSQLError.self) { try await messages.query("CREATE SCHEMA elsewhere", logger: logger) }
            await #expect(throws: PSQLError.self) { try await messages.query("CREATE TABLE public.leak (value text)", logger: logger) }
            group.cancelAll()
        }
    }
}
