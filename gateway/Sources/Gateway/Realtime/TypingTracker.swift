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

    private let expiry: Duration
    /// Indicators go out one at a time, in the order they were decided, so a `false` can never
    /// overtake the `true` before it.
    private let announcements: AsyncStream<RealtimeSignal>.Continuation
    /// The timer of each typing user and room; the number tells a timer from its replacement.
    private var timers: [Key: (generation: Int, task: Task<Void, Never>)] = [:]
    private var generation = 0

    init(publisher: SignalPublisher, expiry: Duration = .seconds(5), logger: Logger) {
        self.expiry = expiry
        let (stream, continuation) = AsyncStream.makeStream(of: RealtimeSignal.self)
        self.announcements = continuation
        Task {
            for await signal in stream {
                do {
                    try await publisher.publish(signal)
                } catch {
                    logger.warning("could not publish a typing indicator", metadata: ["error": "\(error)"])
                }
            }
        }
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
        if !wasTyping { announce(key, typing: true) }
    }

    func stop(user: UUID, room: UUID) async {
        let key = Key(user: user, room: room)
        guard let timer = timers.removeValue(forKey: key) else { return }
        timer.task.cancel()
        announce(key, typing: false)
    }

    private func expire(_ key: Key, generation: Int) async {
        guard timers[key]?.generation == generation else { return }
        timers[key] = nil
        announce(key, typing: false)
    }

    private func announce(_ key: Key, typing: Bool) {
        let frame = ServerFrame(
            type: "user_typing",
            data: .object(["room_id": .string(key.room.apiString), "user_id": .string(key.user.apiString), "typing": .bool(typing)]),
            ref: nil)
        announcements.yield(RealtimeSignal(frame: frame.text(), rooms: [key.room], exceptUser: key.user))
    }
}
