import AuthAPI
import Foundation
import ServiceKit

/// `GET /search`: the caller's own rooms only, filters applied, one page ranked (or newest
/// first) with highlights and context computed for that page alone.
struct Searching: Sendable {
    let index: SearchIndex
    let scope: RoomScope
    let users: any UserDirectory

    /// `{"results": [...], "next_cursor": ...}`.
    func search(_ parameters: SearchParameters, by userID: UUID) async throws -> ListPage<SearchResult> {
        let memberOf = try await scope.rooms(of: userID)
        // A room the caller is not in is not found, whether it exists or not.
        if let outside = parameters.roomIDs.first(where: { !memberOf.contains($0) }) {
            throw AppError.notFound("room \(outside.apiString) not found")
        }
        let rooms = parameters.roomIDs.isEmpty ? Array(memberOf) : parameters.roomIDs
        var senders: [UUID]? = parameters.senderIDs.isEmpty ? nil : parameters.senderIDs
        if !parameters.query.senderNames.isEmpty {
            let named = try await users.users(named: parameters.query.senderNames).values.map(\.id)
            // from: and sender narrow together; an unknown name (or one that cannot be a
            // username, which auth's lookup passes over) matches nobody.
            senders = senders.map { Array(Set($0).intersection(named)) } ?? named
        }
        guard !rooms.isEmpty, senders?.isEmpty != true else { return ListPage("results", items: [], nextCursor: nil) }

        let request = SearchRequest(
            query: parameters.query, roomIDs: rooms, senderIDs: senders, after: parameters.after, before: parameters.before,
            threadID: parameters.threadID, order: parameters.order, cursor: try parameters.page.cursor.map(Self.cursor),
            limit: parameters.page.limit + 1)
        let hits = try await index.search(request)
        let shown = Array(hits.prefix(parameters.page.limit))
        let next = hits.count > parameters.page.limit ? shown.last.map { PageRequest.cursor(for: Self.sortKey($0)) } : nil
        return ListPage("results", items: try shown.map(SearchResult.init), nextCursor: next)
    }

    /// The rank's exact bits and the id: `3e8f5c29:0192…`.
    static func sortKey(_ hit: SearchHit) -> String {
        String(hit.rank.bitPattern, radix: 16) + ":" + hit.id.apiString
    }

    static func cursor(_ key: String) throws -> SearchRequest.Cursor {
        let parts = key.split(separator: ":")
        guard parts.count == 2, let bits = UInt32(parts[0], radix: 16), let id = UUID(uuidString: String(parts[1])) else {
            throw AppError.validation(field: "cursor", "cursor is not valid")
        }
        return SearchRequest.Cursor(rank: Float(bitPattern: bits), id: id)
    }
}
