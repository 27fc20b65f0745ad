import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Feeds the events on the Redis backplane to this instance's connections, resubscribing after
/// Redis drops the subscription.
struct EventBackplane: Service {
    let redis: RedisClient
    let registry: ConnectionRegistry
    let logger: Logger

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let subscription = try await redis.subscribe(to: [EventIntake.channel])
                    await withTaskCancellationHandler {
                        for await message in subscription.messages { await deliver(message.payload) }
                    } onCancel: {
                        Task { await subscription.close() }
                    }
                } catch {
                    logger.warning("event backplane unavailable; retrying", metadata: ["error": "\(error)"])
                }
                try? await Task.sleep(for: .seconds(1))
            }
        }
    }

    private func deliver(_ payload: String) async {
        guard let event = try? EventJSON.decoder().decode(Event.self, from: Data(payload.utf8)) else {
            logger.warning("ignoring a malformed backplane message")
            return
        }
        if let effect = RoomEventEffect.of(event) { await registry.apply(effect) }
    }
}
