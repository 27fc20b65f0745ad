import Foundation
import SearchService
import ServiceKit

let settings = SearchSettings(reader: ServiceConfig.reader())
if CommandLine.arguments.dropFirst().first == "reindex" {
    // `search reindex`: fill the index from messages' export, then exit (rerun to resume).
    let indexed = try await Reindexer.run(settings: settings)
    print("reindex done: \(indexed) messages indexed")
} else {
    try await ServiceMain.run(config: settings.service) { try await buildApplication(settings: settings) }
}
