import AsyncHTTPClient
import NIOCore
import ServiceKit
import ServiceLifecycle

/// Asks every instance of each replicated service `GET /health/live` every `interval` and tells
/// the pool which answer: one that stopped gets no more requests, and one back gets them again.
struct UpstreamHealthCheck: Service {
    let pool: UpstreamPool
    let httpClient: HTTPClient
    let interval: Duration
    let timeout: TimeAmount
    let clock: WallClock

    func run() async throws {
        // A service that returns ends its service group: with nothing to check, idle until shutdown.
        guard !pool.replicated.isEmpty else { return try await gracefulShutdown() }
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                await checkOnce()
                try? await clock.sleep(for: interval)
            }
        }
    }

    /// One round: every instance asked at once.
    func checkOnce() async {
        await withDiscardingTaskGroup { group in
            for (service, instances) in pool.replicated {
                for instance in instances {
                    group.addTask { pool.mark(instance, of: service, answering: await answers(instance)) }
                }
            }
        }
    }

    private func answers(_ instance: String) async -> Bool {
        guard let reply = try? await httpClient.execute(HTTPClientRequest(url: instance + "/health/live"), timeout: timeout) else { return false }
        _ = try? await reply.body.collect(upTo: 64 * 1024)
        return reply.status == .ok
    }
}
