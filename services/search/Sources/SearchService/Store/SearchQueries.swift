import Foundation
import PostgresNIO
import SearchSyntax
import ServiceKit

/// A search as SQL: the words as a tsquery built from bound parts, the filters, the page in
/// ranked or recent order, and for the page only its highlights and context.
struct SearchRequest: Sendable {
    enum Order: String, Sendable {
        case relevance
        case recent
    }

    /// Where the last page ended.
    struct Cursor: Codable, Sendable, Equatable {
        let rank: Float
        let id: UUID
    }

    let query: SearchQuery
    let roomIDs: [UUID]
    let senderIDs: [UUID]?
    let after: Date?
    let before: Date?
    let threadID: UUID?
    let order: Order
    let cursor: Cursor?
    let limit: Int
}

/// One result row: the message, its rank, highlight (with private-use markers) and context.
struct SearchHit: Sendable {
    let id: UUID
    let rank: Float
    let messageJSON: String
    let headline: String
    let beforeJSON: String?
    let afterJSON: String?
}

extension SearchIndex {
    /// How many of the newest matches a relevance search ranks (and can page through).
    static let rankedWindow = 500

    func search(_ request: SearchRequest) async throws -> [SearchHit] {
        var sql = SQLBuilder()
        let tsquery = Self.tsquery(request.query, into: &sql)
        let rank = tsquery.map { "ts_rank_cd(c.document, \($0))" } ?? "0::real"
        sql.append("SELECT page.id, page.rank, body.message::text, ")
        let headlineQuery = tsquery ?? "''::tsquery"
        sql.append("""
            CASE WHEN char_length(body.content) <= \(sql.bind(Highlight.wholeUpTo))
                 THEN ts_headline('simple', body.content, \(headlineQuery), \(sql.bind(Highlight.wholeOptions)))
                 ELSE ts_headline('simple', body.content, \(headlineQuery), \(sql.bind(Highlight.excerptOptions))) END,
            """)
        sql.append("ctx_before.message::text, ctx_after.message::text FROM (")
        var conditions = ["m.room_id = ANY(\(sql.bind(request.roomIDs)))"]
        if let tsquery { conditions.append("m.document @@ \(tsquery)") }
        for phrase in Self.requiredPhrases(request.query) {
            conditions.append("m.word_pairs @> search_word_pairs(to_tsvector('simple', \(sql.bind(phrase))))")
        }
        if let senders = request.senderIDs { conditions.append("m.sender_id = ANY(\(sql.bind(senders)))") }
        if let after = request.after { conditions.append("m.created_at >= \(sql.bind(after))") }
        if let before = request.before { conditions.append("m.created_at < \(sql.bind(before))") }
        if request.query.hasAttachments { conditions.append("m.has_attachments") }
        if request.query.hasLinks { conditions.append("m.has_links") }
        if request.query.threadsOnly { conditions.append("m.parent_id IS NOT NULL") }
        if let thread = request.threadID {
            let placeholder = sql.bind(thread)
            conditions.append("(m.id = \(placeholder) OR m.parent_id = \(placeholder))")
        }
        switch request.order {
        case .recent:
            if let cursor = request.cursor { conditions.append("m.id < \(sql.bind(cursor.id))") }
            sql.append("SELECT m.id, m.room_id, 0::real AS rank FROM search_messages m WHERE ")
            sql.append(conditions.joined(separator: " AND "))
            sql.append(" ORDER BY m.id DESC LIMIT \(sql.bind(request.limit))) page")
        case .relevance:
            // Ranking reads every candidate's tsvector: only the newest `rankedWindow` matches
            // are ranked, so a word in every tenth message costs what a rarer one does.
            sql.append("SELECT c.id, c.room_id, \(rank) AS rank FROM (")
            sql.append("SELECT m.id, m.room_id, m.document FROM search_messages m WHERE ")
            sql.append(conditions.joined(separator: " AND "))
            sql.append(" ORDER BY m.id DESC LIMIT \(sql.bind(Self.rankedWindow))) c")
            if let cursor = request.cursor {
                sql.append(" WHERE (\(rank), c.id) < (\(sql.bind(cursor.rank))::real, \(sql.bind(cursor.id)))")
            }
            sql.append(" ORDER BY rank DESC, c.id DESC LIMIT \(sql.bind(request.limit))) page")
        }
        // What each result shows, and the message just before and just after it in its room.
        sql.append("""
             JOIN search_message_bodies body ON body.id = page.id
             LEFT JOIN LATERAL (SELECT bb.message FROM search_messages b JOIN search_message_bodies bb ON bb.id = b.id
                                WHERE b.room_id = page.room_id AND b.id < page.id ORDER BY b.id DESC LIMIT 1) ctx_before ON true
             LEFT JOIN LATERAL (SELECT ab.message FROM search_messages a JOIN search_message_bodies ab ON ab.id = a.id
                                WHERE a.room_id = page.room_id AND a.id > page.id ORDER BY a.id LIMIT 1) ctx_after ON true
            """)
        sql.append(request.order == .relevance ? " ORDER BY page.rank DESC, page.id DESC" : " ORDER BY page.id DESC")

        var hits: [SearchHit] = []
        let rows = try await db.query(sql.query, logger: logger)
        for try await (id, rank, message, headline, before, after) in rows.decode((UUID, Float, String, String, String?, String?).self) {
            hits.append(SearchHit(id: id, rank: rank, messageJSON: message, headline: headline, beforeJSON: before, afterJSON: after))
        }
        return hits
    }

    /// The phrases of two words or more that every result holds: their pairs of neighbouring
    /// words narrow the candidates before the phrase check (see migration 0002).
    static func requiredPhrases(_ query: SearchQuery) -> [String] {
        query.conditions.compactMap { condition in
            guard !condition.negated, condition.alternatives.count == 1, case .phrase(let phrase) = condition.alternatives[0],
                phrase.contains(where: \.isWhitespace)
            else { return nil }
            return phrase
        }
    }

    /// The query's words as a tsquery expression of bound parts; nil when it has none (a search
    /// by filters alone). Each bare word is matched as Postgres parses it (`foo-bar` as its
    /// parts in a row), a phrase as written, a prefix as the beginning of a word.
    static func tsquery(_ query: SearchQuery, into sql: inout SQLBuilder) -> String? {
        let parts = query.conditions.compactMap { condition -> String? in
            let alternatives = condition.alternatives.map { term -> String in
                switch term {
                case .words(let words): "phraseto_tsquery('simple', \(sql.bind(words)))"
                case .phrase(let phrase): "phraseto_tsquery('simple', \(sql.bind(phrase)))"
                // Only letters and digits reach here (SearchQuery), so the quoted lexeme is safe.
                case .prefix(let word): "to_tsquery('simple', \(sql.bind("'\(word)':*")))"
                }
            }
            let group = alternatives.count == 1 ? alternatives[0] : "(" + alternatives.joined(separator: " || ") + ")"
            return condition.negated ? "!!\(group)" : group
        }
        guard !parts.isEmpty else { return nil }
        return "(" + parts.joined(separator: " && ") + ")"
    }
}
