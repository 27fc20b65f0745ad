import Foundation
import Hummingbird

/// What a subscriber does with each event it receives. Events of a batch come oldest first; a
/// throw fails the whole batch, which the producer's relay then sends again (applied events are
/// skipped the second time by the consumer's inbox).
public protocol EventHandler: Sendable {
    func handle(_ event: Event) async throws
}

/// The consumer side of events: `POST /internal/events`, guarded by the service credential.
public enum EventReceiver {
    public static func add<Context: RequestContext>(to router: Router<Context>, serviceToken: String, handler: some EventHandler) {
        router.group("/internal/events")
            .add(middleware: ServiceTokenMiddleware(token: serviceToken))
            .post { request, context -> HTTPResponse.Status in
                let body = try await request.body.collect(upTo: context.maxUploadSize)
                let batch: EventBatch
                do {
                    batch = try EventJSON.decoder().decode(EventBatch.self, from: Data(buffer: body))
                } catch {
                    throw AppError.badRequest("body is not an event batch")
                }
                for event in batch.events {
                    try await handler.handle(event)
                }
                return .noContent
            }
    }
}
