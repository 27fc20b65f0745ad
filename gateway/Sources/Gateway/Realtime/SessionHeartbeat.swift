import ServiceKit
import ServiceLifecycle

/// Renews what Redis keeps of this instance's sockets well within its TTL: their presence and
/// their place in their users' socket quotas. Both lapse when an instance dies.
struct SessionHeartbeat: Service {
    let presence: Presence
    let quota: SocketQuota
    let registry: ConnectionRegistry

    func run() async throws {
        let interval = Duration.seconds(max(1, presence.ttlSeconds / 5))
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                let sessions = await registry.sessions()
                do {
                    try await presence.refresh(sessions)
                    try await quota.refresh(sessions)
                } catch {
                    presence.logger.warning("could not renew the sockets' presence and quota", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
