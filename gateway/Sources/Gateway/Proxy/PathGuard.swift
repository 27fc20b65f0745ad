import Foundation

import ServiceKit

/// Paths the gateway refuses before routing: internal endpoints (never public, whatever the
/// spelling) and dot segments that could climb out of a routed prefix at a service.
enum PathGuard {
    static func check(_ path: String) throws {
        let decoded = path.removingPercentEncoding ?? path
        let segments = decoded.lowercased().split(separator: "/", omittingEmptySubsequences: true)
        if segments.contains(where: { $0 == "." || $0 == ".." }) {
            throw AppError.badRequest("path must not contain dot segments")
        }
        if segments.first == "internal" || decoded.contains("\\") {
            throw AppError.notFound()
        }
    }
}
