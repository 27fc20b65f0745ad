import Foundation
import Logging
import MessagesAPI
import PostgresNIO
import ServiceKit

/// `search reindex`: fills the index from messages' export (`exportMessages`), a page at a time,
/// each page and the position reached written in one transaction, so an interrupted run resumes
/// where it stopped. Events keep the index current meanwhile and after.
public struct Reindexer: Sendable {
    let index: SearchIndex
    let export: MessageExportClient
    let logger: Logger

    /// Runs a reindex with `settings`' database and messages' URL: migrations, then pages until
    /// the export is through or `maxPages` were indexed. Returns how many messages were indexed
    /// in all (this run and earlier ones).
    public static func run(settings: SearchSettings, pageSize: Int = 1_000, maxPages: Int = .max) async throws -> Int {
        let config = settings.service
        let logger = config.logger()
        let postgres = try PostgresClient(settings: config.postgres, logger: logger)
        let http = HTTPClientService(configuration: .init(timeout: .init(connect: .seconds(2))))
        do {
            let indexed = try await run(settings: settings, postgres: postgres, http: http, logger: logger, pageSize: pageSize, maxPages: maxPages)
            try await http.client.shutdown()
            return indexed
        } catch {
            // A client dropped without shutting down traps: shut it down on every way out.
            try? await http.client.shutdown()
            throw error
        }
    }

    private static func run(
        settings: SearchSettings, postgres: PostgresClient, http: HTTPClientService, logger: Logger, pageSize: Int, maxPages: Int
    ) async throws -> Int {
        let config = settings.service
        return try await withThrowingTaskGroup(of: Int?.self) { group in
            group.addTask {
                await postgres.run()
                return nil
            }
            group.addTask {
                try await MigrationRunner(client: postgres, schema: config.postgres.schema, directory: migrationsDirectory, logger: logger).run()
                let peer = try PeerConnection(
                    name: "messages", baseURL: settings.messagesURL, httpClient: http.client, token: config.serviceToken, timeout: .seconds(60))
                let reindexer = Reindexer(index: SearchIndex(db: postgres, logger: logger), export: MessageExportClient(peer: peer), logger: logger)
                return try await reindexer.run(pageSize: pageSize, maxPages: maxPages)
            }
            defer { group.cancelAll() }
            while let result = try await group.next() {
                if let indexed = result { return indexed }
            }
            throw AppError.internal("reindex ended without a result")
        }
    }

    func run(pageSize: Int, maxPages: Int) async throws -> Int {
        var (after, indexed) = try await progress()
        for _ in 0..<maxPages {
            let page = try await export.page(after: after, limit: pageSize)
            let entries = page.messages.compactMap(MessageEventsConsumer.entry)
            try await index.db.transaction(logger: logger) { connection in
                try await index.apply(upserts: entries, deletes: [], on: connection)
                if let last = page.lastID {
                    try await connection.query(
                        """
                        INSERT INTO reindex_progress (last_id, indexed) VALUES (\(last), \(Int64(indexed + entries.count)))
                        ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id, indexed = excluded.indexed
                        """, logger: logger)
                }
            }
            indexed += entries.count
            after = page.lastID ?? after
            logger.info("reindexed a page", metadata: ["indexed": "\(indexed)"])
            guard page.hasMore else { break }
        }
        return indexed
    }

    private func progress() async throws -> (UUID?, Int) {
        let rows = try await index.db.query("SELECT last_id, indexed FROM reindex_progress", logger: logger)
        for try await (last, indexed) in rows.decode((UUID, Int64).self) { return (last, Int(indexed)) }
        return (nil, 0)
    }
}
