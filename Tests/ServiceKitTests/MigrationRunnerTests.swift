import Foundation
import Logging
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

@Suite struct MigrationRunnerTests {
    func migrations(_ files: [String: String]) throws -> URL {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("migrations-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        for (name, sql) in files { try sql.write(to: directory.appendingPathComponent(name), atomically: true, encoding: .utf8) }
        return directory
    }

    static let files = [
        "0001_things.sql": """
            -- a comment; with a semicolon
            CREATE TABLE things (id int PRIMARY KEY, note text DEFAULT 'a;b');
            CREATE FUNCTION twice(x int) RETURNS int AS $$ BEGIN RETURN x * 2; END; $$ LANGUAGE plpgsql;
            """,
        "0002_more.sql": "INSERT INTO things (id) VALUES (1); INSERT INTO things (id) VALUES (2);",
    ]

    @Test func migrationsApplyInOrderOnceEvenWhenInstancesStartTogether() async throws {
        let directory = try migrations(Self.files)
        try await TestPostgres.shared.withClient(schema: "demo") { client in
            let runner = MigrationRunner(client: client, schema: "demo", directory: directory, logger: Logger(label: "test"))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<3 { group.addTask { try await runner.run() } }
                try await group.waitForAll()
            }
            try await runner.run()
            let rows = try await client.query("SELECT count(*), max(twice(id)) FROM demo.things", logger: Logger(label: "test"))
            for try await (count, max) in rows.decode((Int, Int).self) {
                #expect(count == 2)
                #expect(max == 4)
            }
            let versions = try await client.query("SELECT version FROM demo.schema_migrations ORDER BY version", logger: Logger(label: "test"))
            var applied: [Int] = []
            for try await version in versions.decode(Int.self) { applied.append(version) }
            #expect(applied == [1, 2, 10001, 10002, 10003, 10004, 10005], "the service's own, then ServiceKit's event tables")
        }
    }

    @Test func aFailingMigrationLeavesNothingBehind() async throws {
        let directory = try migrations(["0001_ok.sql": "CREATE TABLE ok (id int);", "0002_bad.sql": "CREATE TABLE half (id int); SELECT nonsense;"])
        try await TestPostgres.shared.withClient(schema: "demo") { client in
            let runner = MigrationRunner(client: client, schema: "demo", directory: directory, logger: Logger(label: "test"))
            await #expect(throws: (any Error).self) { try await runner.run() }
            let rows = try await client.query("SELECT to_regclass('demo.half') IS NULL, to_regclass('demo.ok') IS NOT NULL", logger: Logger(label: "test"))
            for try await (halfMissing, okPresent) in rows.decode((Bool, Bool).self) {
                #expect(halfMissing && okPresent)
            }
        }
    }

    @Test func misnumberedFilesAreRefused() async throws {
        let directory = try migrations(["0001_a.sql": "SELECT 1;", "1_b.sql": "SELECT 1;"])
        try await TestPostgres.shared.withClient(schema: "demo") { client in
            let runner = MigrationRunner(client: client, schema: "demo", directory: directory, logger: Logger(label: "test"))
            await #expect(throws: AppError.self) { try await runner.run() }
        }
    }
}
