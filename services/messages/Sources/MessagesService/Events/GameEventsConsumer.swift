import Foundation
import GamesAPI
import ServiceKit

/// What messages does with games' events: posts an invitation to play as a `game` message from
/// its inviter, and a match's result as a system message ("Alice beat Bob 11-7").
struct GameEventsConsumer: EventHandler {
    let env: MessagesEnvironment

    func handle(_ event: Event) async throws {
        switch GameEventType(rawValue: event.type) {
        case .invited:
            guard let invited = event.payload(as: GameInvited.self, logger: env.logger) else { return }
            let inviter = try await env.users.user(invited.invitation.inviterId)
            try await EventMessage(roomID: invited.roomId, sender: inviter, type: .game, content: invited.text, gameID: invited.invitation.id)
                .write(for: event, env: env)
        case .matchFinished:
            guard let finished = event.payload(as: GameMatchChanged.self, logger: env.logger), let summary = finished.summary else { return }
            try await EventMessage(roomID: finished.roomId, sender: nil, type: .system, content: summary).write(for: event, env: env)
        case .invitationUpdated, .matchStarted, nil:
            return
        }
    }
}
