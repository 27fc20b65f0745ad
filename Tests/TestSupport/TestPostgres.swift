import Foundation
import Logging
import PostgresNIO
import ServiceKit

/// A private PostgreSQL cluster for this test process, started on first use on a free port
/// (fsync off: test data need not survive a crash). Each test gets a fresh database of its own.
public actor TestPostgres {
    public static let shared = TestPostgres()

    private var port: Int?

    public func start() throws -> Int {
        if let port { return port }
        let binDirectory = try Self.binDirectory()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("parley-pg-\(UUID().uuidString.prefix(8))").path
        let dataDirectory = directory + "/data"
        try FileManager.default.createDirectory(atPath: dataDirectory, withIntermediateDirectories: true)
        if getuid() == 0 { try ProcessRunner.run(["chown", "-R", "postgres", directory]) }
        try ProcessRunner.run(
            [binDirectory + "/initdb", "-D", dataDirectory, "-U", "parley", "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"],
            asPostgresUser: true)
        let port = try ProcessRunner.freePort()
        let options = "-p \(port) -c listen_addresses=127.0.0.1 -k \(directory) -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=1000"
        try ProcessRunner.run([binDirectory + "/pg_ctl", "-D", dataDirectory, "-w", "-l", directory + "/postgres.log", "-o", options, "start"], asPostgresUser: true)
        let stop = (getuid() == 0 ? "runuser -u postgres -- " : "") + "\(binDirectory)/pg_ctl -D \(dataDirectory) -m immediate stop"
        try ProcessRunner.cleanUpWhenTestsEnd("\(stop); rm -rf \(directory)")
        self.port = port
        return port
    }

    /// A new database with each service's role and empty schema, as compose/up makes them
    /// (`compose/postgres-roles.sql`); the service under test fills its schema by migrating.
    public func createDatabase() throws -> (port: Int, database: String) {
        let port = try start()
        let database = "test_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let bin = try Self.binDirectory()
        try ProcessRunner.run([bin + "/createdb", "-h", "127.0.0.1", "-p", String(port), "-U", "parley", String(database)])
        try ProcessRunner.run([
            bin + "/psql", "-X", "-q", "-v", "ON_ERROR_STOP=1", "-h", "127.0.0.1", "-p", String(port), "-U", "parley", "-d", String(database),
            "-f", Self.rolesScript,
        ])
        return (port, String(database))
    }

    /// A client of `database` (by default a new one, `createDatabase`) as the cluster's superuser,
    /// with `schema` as its search path, running while `body` does.
    public nonisolated func withClient(
        database existing: String? = nil, schema: String, maxConnections: Int = 4, _ body: @Sendable (PostgresClient) async throws -> Void
    ) async throws {
        let (port, database) = if let existing { (try await start(), existing) } else { try await createDatabase() }
        let client = try PostgresClient(
            settings: PostgresSettings(
                host: "127.0.0.1", port: port, user: "parley", password: nil, database: database, schema: schema, maxConnections: maxConnections),
            logger: Logger(label: "test-postgres"))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            try await body(client)
            group.cancelAll()
        }
    }

    /// compose/postgres-roles.sql, from this file's place in the repository.
    static let rolesScript = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("compose/postgres-roles.sql").path

    static func binDirectory() throws -> String {
        let root = "/usr/lib/postgresql"
        let versions = (try? FileManager.default.contentsOfDirectory(atPath: root))?.compactMap(Int.init).sorted() ?? []
        guard let newest = versions.last else { throw TestFailure("PostgreSQL is not installed (apt-get install postgresql)") }
        return "\(root)/\(newest)/bin"
    }
}
