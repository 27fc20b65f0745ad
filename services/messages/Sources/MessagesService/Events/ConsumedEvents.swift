import CallsAPI
import GamesAPI
import ServiceKit

/// Every event messages receives, handed to the consumer of its producer: games' to
/// `GameEventsConsumer`, calls' to `CallEventsConsumer`, the rest (rooms') to `RoomEventsConsumer`.
struct ConsumedEvents: EventHandler {
    let rooms: RoomEventsConsumer
    let games: GameEventsConsumer
    let calls: CallEventsConsumer

    func handle(_ event: Event) async throws {
        if GameEventType(rawValue: event.type) != nil {
            try await games.handle(event)
        } else if CallEventType(rawValue: event.type) != nil {
            try await calls.handle(event)
        } else {
            try await rooms.handle(event)
        }
    }
}
