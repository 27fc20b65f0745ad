import Foundation

import ServiceKit

/// Paths the gateway refuses before routing: internal endpoints (never public, whatever the
/// spelling), dot segments that could climb out of a routed prefix at a service, and paths no
/// service could read: percent-encoding that is malformed or not UTF-8 (400), or that spells a
/// control character (a NUL, CR, LF, ...): no id, code or emoji holds one, so such a path names
/// nothing (404, as any unknown id is).
enum PathGuard {
    static func check(_ path: String) throws {
        guard let decoded = path.removingPercentEncoding else {
            throw AppError.badRequest("path has malformed percent-encoding")
        }
        if decoded.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            throw AppError.notFound()
        }
        let segments = decoded.lowercased().split(separator: "/", omittingEmptySubsequences: true)
        if segments.contains(where: { $0 == "." || $0 == ".." }) {
            throw AppError.badRequest("path must not contain dot segments")
        }
        if segments.first == "internal" || decoded.contains("\\") {
            throw AppError.notFound()
        }
    }
}
