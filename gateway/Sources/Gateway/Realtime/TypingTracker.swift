import Foundation
import Logging
import ServiceKit

/// Who is typing where, for the sessions of this gateway instance. `user_typing` with `typing:
/// true` goes to the room's other members when someone starts; `typing: false` when they stop,
/// send, leave, disconnect, or let `expiry` pass without a new `typing_start`.
actor TypingTracker {
    private struct Key: Hashable {
        let user: UUID
        let room: UUID
    }

    private let publisher: SignalPublisher
    private let expiry: Duration
    private let logger: Logger
    /// The timer of each typing user and room; the number tells a timer from its replacement.
    private var timers: [Key: (generation: Int, task: Task<Void, Never>)] = [:]
    private var generation = 0

    init(publisher: SignalPublisher, expiry: Duration = .seconds(5), logger: Logger) {
        self.publisher = publisher
        self.expiry = expiry
        self.logger = logger
    }

    func start(user: UUID, room: UUID) async {
        let key = Key(user: user, room: room)
        let wasTyping = timers.removeValue(forKey: key).map { $0.task.cancel() } != nil
        generation += 1
        let current = generation
        timers[key] = (current, Task { [expiry] in
            try? await Task.sleep(for: expiry)
            guard !Task.isCancelled else { return }
            await self.expire(key, generation: current)
        })
        if !wasTyping { await announce(key, typing: true) }
    }

    func stop(user: UUID, room: UUID) async {
        let key = Key(user: user, room: room)
        guard let timer = timers.removeValue(forKey: key) else { return }
        timer.task.cancel()
        await announce(key, typing: false)
    }

    private func expire(_ key: Key, generation: Int) async {
        guard timers[key]?.generation == generation else { return }
        timers[key] = nil
        await announce(key, typing: false)
    }

    private func announce(_ key: Key, typing: Bool) async {
        let frame = ServerFrame(
            type: "user_typing",
            data: .object(["room_id": .string(key.room.apiString), "user_id": .string(key.user.apiString), "typing": .bool(typing)]),
            ref: nil)
        do {
            try await publisher.publish(RealtimeSignal(frame: frame.text(), rooms: [key.room], exceptUser: key.user))
        } catch {
            logger.warning("could not publish a typing indicator", metadata: ["error": "\(error)"])
        }
    }
}
