import Foundation
import Logging
import RoomsAPI
import ServiceKit
import ServiceLifecycle

/// Feeds the events on the Redis backplane to this instance's connections, resubscribing after
/// Redis drops the subscription. Auth's session revocations and rooms' departures come on the
/// same subscription, so Redis hands them over in the order they were published among the
/// events: a socket is closed before anything published after its logout is delivered, and a
/// removed member's sockets lose the room before any event of it sent after the removal.
struct EventBackplane: Service {
    let redis: RedisClient
    let registry: ConnectionRegistry
    let rooms: any RoomDirectory
    let sessions: SessionGuard
    let clock: WallClock
    let logger: Logger

    func run() async throws {
        let (events, signals, revocations, departures) = (
            redis.namespaced(EventIntake.channel), redis.namespaced(RealtimeSignal.channel),
            redis.namespaced(SessionRevocations.channel), redis.namespaced(AccessEpochs.departuresChannel)
        )
        await cancelWhenGracefulShutdown {
            // Set once a subscription has been lost: whatever was published until the next one
            // never reached this instance.
            var missedEvents = false
            while !Task.isCancelled {
                do {
                    let subscription = try await redis.subscribe(to: [events, signals, revocations, departures])
                    await sessions.sweep()
                    await resync()
                    if missedEvents { await registry.askEverySessionToRefetch() }
                    missedEvents = true
                    await withTaskCancellationHandler {
                        for await message in subscription.messages {
                            switch message.channel {
                            case signals: await deliverSignal(message.payload)
                            case revocations: await sessions.revoked(message.payload)
                            case departures: await depart(message.payload)
                            default: await deliver(message.payload)
                            }
                        }
                    } onCancel: {
                        Task { await subscription.close() }
                    }
                } catch {
                    logger.warning("event backplane unavailable; retrying", metadata: ["error": "\(error)"])
                }
                try? await clock.sleep(for: .seconds(1))
            }
        }
    }

    /// Redis pub/sub keeps nothing for a subscriber that is away: events published before this
    /// subscription were lost to this instance. Each session's rooms are reloaded from rooms, so
    /// none keeps a room it was removed from or misses one it was added to; after a lost
    /// subscription every session is also told to fetch its rooms' messages again.
    private func resync() async {
        for (sessionID, userID) in await registry.beginResync() {
            do {
                await registry.roomsLoaded(try await rooms.roomIDs(of: userID), for: sessionID)
            } catch {
                logger.warning("could not reload a session's rooms", metadata: ["error": "\(error)"])
                await registry.reloadFailed(for: sessionID)
            }
        }
    }

    private func depart(_ payload: String) async {
        guard let departure = AccessEpochs.Departure.decode(payload) else {
            logger.warning("ignoring a malformed departure")
            return
        }
        await registry.depart(departure)
    }

    private func deliverSignal(_ payload: String) async {
        guard let signal = try? JSONDecoder().decode(RealtimeSignal.self, from: Data(payload.utf8)) else {
            logger.warning("ignoring a malformed backplane signal")
            return
        }
        await registry.deliver(signal)
    }

    private func deliver(_ payload: String) async {
        guard let (sequence, event) = EventIntake.decode(payload) else {
            logger.warning("ignoring a malformed backplane message")
            return
        }
        if let effect = RoomEventEffect.of(event, sequence: sequence) {
            await registry.apply(effect)
        } else if let userFrame = UserEventFrame.of(event) {
            await registry.deliver(RealtimeSignal(frame: userFrame.frame.text(), users: [userFrame.userID]))
        }
    }
}
