import Hummingbird

/// A dependency the service needs to serve: `/health/ready` answers 200 only when all answer.
public struct ReadinessCheck: Sendable {
    public let name: String
    public let check: @Sendable () async -> Bool

    public init(_ name: String, check: @escaping @Sendable () async -> Bool) {
        self.name = name
        self.check = check
    }
}

struct HealthReport: ResponseEncodable {
    let status: String
    let checks: [String: String]
}

extension Router {
    /// `/health/live` (the process answers), `/health/ready` (its dependencies answer) and
    /// `/metrics`. Public and unauthenticated; the gateway does not route them.
    public func addOperationalRoutes(readiness: [ReadinessCheck]) {
        // Bootstrap now: request metrics created before it would go to the no-op backend.
        _ = ServiceMetrics.registry
        get("/health/live") { _, _ in HealthReport(status: "ok", checks: [:]) }
        get("/health/ready") { _, _ -> Response in
            let results = await withTaskGroup(of: (String, Bool).self) { group in
                for item in readiness { group.addTask { (item.name, await item.check()) } }
                var results: [String: Bool] = [:]
                for await (name, ok) in group { results[name] = ok }
                return results
            }
            let ready = results.values.allSatisfy { $0 }
            let report = HealthReport(status: ready ? "ok" : "unavailable", checks: results.mapValues { $0 ? "ok" : "down" })
            return try APIResponseEncoder.response(report, status: ready ? .ok : .serviceUnavailable)
        }
        get("/metrics") { _, _ in ServiceMetrics.render() }
    }
}
