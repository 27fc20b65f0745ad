import Foundation
import Hummingbird
import ServiceKit

/// One result: the message (as its last event showed it), `highlight` (safe HTML with `<mark>`)
/// and `context`, the messages just before and after it in its room (null at either end).
struct SearchResult: Encodable, Sendable {
    struct Context: Encodable, Sendable {
        let before: JSONValue?
        let after: JSONValue?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(before, forKey: .before)
            try container.encode(after, forKey: .after)
        }

        enum CodingKeys: String, CodingKey { case before, after }
    }

    let message: JSONValue
    let highlight: String
    let context: Context

    init(_ hit: SearchHit) throws {
        message = try Self.parse(hit.messageJSON)
        highlight = Highlight.html(hit.headline)
        context = Context(before: try hit.beforeJSON.map(Self.parse), after: try hit.afterJSON.map(Self.parse))
    }

    /// Stored JSON back to a tree.
    private static func parse(_ json: String) throws -> JSONValue {
        try JSONValue(parsing: json)
    }
}
