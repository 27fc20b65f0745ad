/// Which service owns a public path: the one place that maps the API onto services. Adding a
/// service is one line here. Entries are tried in order, so a more specific pattern goes first;
/// `*` matches any one segment, and a pattern matches a path that starts with its segments.
enum RouteTable {
    static let routes: [GatewayRoute] = [
        GatewayRoute("/auth", to: "auth"),
        GatewayRoute("/users/me/blocks", to: "rooms"),
        GatewayRoute("/users/*/block", to: "rooms"),
        GatewayRoute("/users", to: "auth"),
        GatewayRoute("/rooms/*/messages", to: "messages"),
        GatewayRoute("/rooms/*/pins", to: "messages"),
        GatewayRoute("/rooms/*/reports", to: "messages"),
        GatewayRoute("/rooms/*/scheduled-messages", to: "messages"),
        GatewayRoute("/rooms/*/games", to: "games"),
        GatewayRoute("/rooms/*/calls", to: "calls"),
        GatewayRoute("/rooms", to: "rooms"),
        GatewayRoute("/messages", to: "messages"),
        GatewayRoute("/reports", to: "messages"),
        GatewayRoute("/scheduled-messages", to: "messages"),
        GatewayRoute("/invites", to: "rooms"),
        GatewayRoute("/attachments", to: "media"),
        GatewayRoute("/search", to: "search"),
        GatewayRoute("/notifications", to: "notify"),
        GatewayRoute("/games", to: "games"),
        GatewayRoute("/calls", to: "calls"),
    ]

    /// Upstreams that take file uploads: their bodies may be as large as `GatewaySettings.uploadBodyBytes`.
    static let uploadUpstreams: Set<String> = ["media"]

    /// Reachable without a token; everything else is verified at the edge.
    static let publicEndpoints: Set<String> = ["POST /auth/register", "POST /auth/login"]

    static var upstreamNames: Set<String> { Set(routes.map(\.upstream)) }

    static func upstream(for path: String) -> String? {
        let segments = path.split(separator: "/", omittingEmptySubsequences: true)
        return routes.first { $0.matches(segments) }?.upstream
    }

    static func isPublic(method: String, path: String) -> Bool {
        publicEndpoints.contains("\(method) \(path)")
    }
}

struct GatewayRoute: Sendable {
    let pattern: [Substring]
    let upstream: String

    init(_ pattern: String, to upstream: String) {
        self.pattern = pattern.split(separator: "/")
        self.upstream = upstream
    }

    func matches(_ segments: [Substring]) -> Bool {
        guard segments.count >= pattern.count else { return false }
        return zip(pattern, segments).allSatisfy { $0 == "*" || $0 == $1 }
    }
}
