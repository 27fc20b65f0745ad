import CallsAPI
import Foundation
import ServiceKit

/// What messages does with calls' events: posts how a call ended as a system message ("Call, 12
/// min 30 s", "Missed call", "Declined call").
struct CallEventsConsumer: EventHandler {
    let env: MessagesEnvironment

    func handle(_ event: Event) async throws {
        guard CallEventType(rawValue: event.type) == .ended, let ended = event.payload(as: CallChanged.self, logger: env.logger),
            let summary = ended.summary
        else { return }
        try await EventMessage(roomID: ended.roomId, sender: nil, type: .system, content: summary).write(for: event, env: env)
    }
}
