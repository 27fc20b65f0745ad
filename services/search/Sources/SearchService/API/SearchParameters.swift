import Foundation
import Hummingbird
import SearchSyntax
import ServiceKit

/// `GET /search`'s query parameters, checked. Filters given as parameters and as operators in
/// `q` add up (`room_id` and `in:` both narrow the rooms).
struct SearchParameters: Sendable {
    let query: SearchQuery
    let roomIDs: [UUID]
    let senderIDs: [UUID]
    let after: Date?
    let before: Date?
    let threadID: UUID?
    let order: SearchRequest.Order
    let page: PageRequest

    /// The longest `q` in characters: far beyond what anyone types, short enough to parse and
    /// match cheaply. Bytes are bounded too (4 per character), since one character can be made of
    /// any number of combining marks.
    static let maxQueryLength = 1000

    init(_ parameters: Parameters) throws {
        let text = parameters["q"].map(String.init) ?? ""
        guard text.count <= Self.maxQueryLength, text.utf8.count <= 4 * Self.maxQueryLength else {
            throw AppError.validation(field: "q", "q must be at most \(Self.maxQueryLength) characters")
        }
        var query = SearchQuery(parsing: text)
        for has in parameters.getAll("has").flatMap({ $0.split(separator: ",") }) {
            switch has.lowercased() {
            case "attachments", "attachment", "files", "file": query.hasAttachments = true
            case "links", "link": query.hasLinks = true
            default: throw AppError.validation(field: "has", "has must be attachments or links")
            }
        }
        if let threads = parameters["is"] {
            guard threads == "thread" else { throw AppError.validation(field: "is", "is must be thread") }
            query.threadsOnly = true
        }
        self.query = query
        self.roomIDs = try (parameters.getAll("room_id").map { String($0) } + query.roomIDs).map { text in
            guard let id = UUID(uuidString: text) else { throw AppError.validation(field: "room_id", "room_id (and in:) take a room id") }
            return id
        }
        self.senderIDs = try parameters.getAll("sender").map { text in
            guard let id = UUID(uuidString: String(text)) else { throw AppError.validation(field: "sender", "sender is a user id") }
            return id
        }
        self.after = try (parameters["after"].map(String.init) ?? query.after).map { try Self.date($0, field: "after", dayEnds: true) }
        self.before = try (parameters["before"].map(String.init) ?? query.before).map { try Self.date($0, field: "before", dayEnds: false) }
        self.threadID = try parameters["thread_id"].map { text in
            guard let id = UUID(uuidString: String(text)) else { throw AppError.validation(field: "thread_id", "thread_id is a message id") }
            return id
        }
        switch parameters["sort"] ?? "relevance" {
        case "relevance": order = .relevance
        case "recent": order = .recent
        default: throw AppError.validation(field: "sort", "sort must be relevance or recent")
        }
        self.page = try PageRequest(query: parameters)
        guard !query.conditions.isEmpty || !roomIDs.isEmpty || !senderIDs.isEmpty || !query.senderNames.isEmpty || after != nil
            || before != nil || query.hasAttachments || query.hasLinks || threadID != nil || query.threadsOnly
        else { throw AppError.validation(field: "q", "q needs words to find, or a filter") }
    }

    /// `2026-11-22` (a whole day: `after` it is from the next day on, `before` it until that day
    /// began) or an RFC 3339 instant (exact).
    static func date(_ text: String, field: String, dayEnds: Bool) throws -> Date {
        if let instant = Timestamp.parse(text) { return instant }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyy-MM-dd"
        guard let day = formatter.date(from: text) else {
            throw AppError.validation(field: field, "\(field) must be a date (2026-11-22) or an RFC 3339 time")
        }
        return dayEnds ? day.addingTimeInterval(24 * 60 * 60) : day
    }
}
