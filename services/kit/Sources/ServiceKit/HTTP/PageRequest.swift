import Foundation
import Hummingbird

/// `limit` and opaque `cursor` of a list endpoint (API.md: default 50, at most 100). The cursor
/// wraps the sort key of the last item shown, base64url-encoded so clients treat it as opaque.
public struct PageRequest: Sendable {
    public static let defaultLimit = 50
    public static let maxLimit = 100

    public let limit: Int
    /// The decoded sort key to continue after; nil for the first page.
    public let cursor: String?

    public init(query: Parameters) throws {
        self.limit = try Self.limit(in: query)
        if let text = query["cursor"], !text.isEmpty {
            guard let data = Data(base64URLEncoded: text), let key = String(data: data, encoding: .utf8) else {
                throw AppError.validation(field: "cursor", "cursor is not valid")
            }
            self.cursor = key
        } else {
            self.cursor = nil
        }
    }

    /// `limit` of any list: 1-100, 50 when absent.
    public static func limit(in query: Parameters) throws -> Int {
        guard let text = query["limit"] else { return defaultLimit }
        guard let limit = Int(text), (1...maxLimit).contains(limit) else {
            throw AppError.validation(field: "limit", "limit must be 1-\(maxLimit)")
        }
        return limit
    }

    public static func cursor(for sortKey: String) -> String {
        Data(sortKey.utf8).base64URLEncodedString()
    }
}
