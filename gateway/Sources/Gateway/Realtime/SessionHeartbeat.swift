import ServiceKit
import ServiceLifecycle

/// Renews what Redis keeps of this instance's sockets well within its TTL: their presence and
/// their place in their users' socket quotas. Both lapse when an instance dies.
struct SessionHeartbeat: Service {
    let presence: Presence
    let quota: SocketQuota
    let registry: ConnectionRegistry
    let clock: WallClock

    func run() async throws {
        let interval = Duration.seconds(max(1, presence.ttlSeconds / 5))
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await clock.sleep(for: interval)
                let sessions = await registry.sessions()
                // Apart: one failing must not leave the other's entries to lapse.
                do {
                    try await presence.refresh(sessions)
                } catch {
                    presence.logger.warning("could not renew the sockets' presence", metadata: ["error": "\(error)"])
                }
                do {
                    try await quota.refresh(sessions)
                } catch {
                    presence.logger.warning("could not renew the sockets' quota", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}
