import Foundation
import Hummingbird

/// What a subscriber does with each event it receives. Events of a batch come oldest first; a
/// throw fails the whole batch, which the producer's relay then sends again (applied events are
/// skipped the second time by the consumer's inbox).
public protocol EventHandler: Sendable {
    func handle(_ event: Event) async throws
    /// A whole batch, oldest first. By default one event at a time; a consumer that applies a
    /// batch at once (one transaction for all of it) implements this instead.
    func handle(batch events: [Event]) async throws
}

extension EventHandler {
    public func handle(batch events: [Event]) async throws {
        for event in events {
            try await handle(event)
        }
    }
}

/// The consumer side of events: `POST /internal/events`, guarded by the service credential.
public enum EventReceiver {
    public static func add<Context: RequestContext>(to router: Router<Context>, serviceToken: String, handler: some EventHandler) {
        router.group("/internal/events")
            .add(middleware: ServiceTokenMiddleware(token: serviceToken))
            .post { request, context -> HTTPResponse.Status in
                let body = try await request.body.collect(upTo: context.maxUploadSize)
                let batch = try EventBatch.parse(Data(buffer: body))
                try await handler.handle(batch: batch.events)
                return .noContent
            }
    }
}
