import Foundation
import Hummingbird
import Tracing

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

/// The consumer side of events: `POST /internal/events`, guarded by the service credential. Each
/// traced event gets a span of its own (`<type> process`), a child of the relay's span that
/// delivered it, lasting as long as its batch is handled.
public enum EventReceiver {
    public static func add<Context: RequestContext>(
        to router: Router<Context>, serviceToken: String, handler: some EventHandler, tracer: any Tracer
    ) {
        router.group("/internal/events")
            .add(middleware: ServiceTokenMiddleware(token: serviceToken))
            .post { request, context -> HTTPResponse.Status in
                let body = try await request.body.collect(upTo: context.maxUploadSize)
                let batch = try EventBatch.parse(Data(buffer: body))
                let spans = batch.events.compactMap { event in
                    event.traceParent.map { processSpan(of: event, continuing: $0, batchSize: batch.events.count, tracer: tracer) }
                }
                defer { for span in spans { span.end() } }
                do {
                    try await handler.handle(batch: batch.events)
                } catch {
                    for span in spans { span.recordError(error) }
                    throw error
                }
                return .noContent
            }
    }

    private static func processSpan(of event: Event, continuing traceParent: String, batchSize: Int, tracer: any Tracer) -> any Span {
        let span = tracer.startSpan("\(event.type) process", context: tracer.context(continuing: traceParent), ofKind: .consumer)
        span.updateAttributes { attributes in
            attributes["messaging.operation.type"] = "process"
            attributes["messaging.message.id"] = event.id.apiString
            attributes["messaging.batch.message_count"] = batchSize
        }
        return span
    }
}
