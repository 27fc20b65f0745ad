import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// A socket lives no longer than its login session (API.md: close code 4001 `session_ended`).
/// Auth publishes every revoked session on `SessionRevocations.channel`; `EventBackplane` hears it
/// on the subscription that brings the events, so a revocation closes the session's sockets
/// before any event published after it reaches them. Pub/sub keeps nothing for an instance that
/// was not subscribed, so after every (re)subscription, and every `interval` as a backstop, all
/// of this instance's login sessions are checked against the revocations. The same sweep closes
/// the sockets whose token expired by the injected clock.
struct SessionGuard: Service {
    let registry: ConnectionRegistry
    let revocations: SessionRevocations
    let clock: WallClock
    let interval: Duration
    let logger: Logger

    /// A message on `SessionRevocations.channel`: one revoked session id.
    func revoked(_ payload: String) async {
        guard let sessionID = UUID(uuidString: payload) else {
            logger.warning("ignoring a malformed session revocation")
            return
        }
        await registry.endSessions([sessionID])
    }

    /// Closes the sockets of expired tokens and revoked sessions. When Redis cannot answer, the
    /// sockets stay open (their events stop with the backplane anyway); the next sweep, or the
    /// one after the backplane resubscribes, catches up.
    func sweep() async {
        await registry.endExpiredSessions(now: clock.now())
        await endRevoked(among: await registry.loginSessionIDs())
    }

    /// Closes the sockets of those of `loginSessionIDs` that are revoked: also for a socket just
    /// registered, whose revocation may have been published between its token check and then.
    func endRevoked(among loginSessionIDs: Set<UUID>) async {
        do {
            await registry.endSessions(try await revocations.revoked(among: Array(loginSessionIDs)))
        } catch {
            logger.warning("could not check the sockets' sessions for revocation", metadata: ["error": "\(error)"])
        }
    }

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try? await clock.sleep(for: interval)
                await sweep()
            }
        }
    }
}
