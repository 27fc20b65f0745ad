import Foundation
import Logging
import ServiceKit

/// Who is typing where, for the sessions of this gateway instance. `user_typing` with `typing:
/// true` goes to the room's other members when someone starts; `typing: false` when they stop,
/// send, leave, disconnect, or let `expiry` pass without a new `typing_start`.
///
/// What others are shown changes at most once per `interval` per user and room, so a client
/// flipping `typing_start`/`typing_stop` cannot flood the room: a change inside the interval is
/// held until it ends and goes out only if it still holds then (a start and stop within it cancel
/// out). Sending, leaving and disconnecting are not held: `typing: false` goes out at once.
actor TypingTracker {
    private struct Key: Hashable {
        let user: UUID
        let room: UUID
    }

    private struct State {
        /// What the client said last: typing until `expiresAt`.
        var typing = false
        var expiresAt = Date.distantPast
        /// What the room was told last, and when it may next be told a change.
        var shown = false
        var quietUntil = Date.distantPast
        /// The pending wake-up (a held change, the expiry, the end of the interval).
        var timer: Task<Void, Never>?
    }

    private let expiry: Duration
    private let interval: Duration
    private let clock: WallClock
    /// Indicators go out one at a time, in the order they were decided, so a `false` can never
    /// overtake the `true` before it.
    private let announcements: AsyncStream<RealtimeSignal>.Continuation
    private var states: [Key: State] = [:]

    init(publisher: SignalPublisher, expiry: Duration = .seconds(5), interval: Duration, clock: WallClock, logger: Logger) {
        self.expiry = expiry
        self.interval = interval
        self.clock = clock
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

    /// `typing_start`: starts or renews the indicator.
    func start(user: UUID, room: UUID) {
        let key = Key(user: user, room: room)
        var state = states[key] ?? State()
        state.typing = true
        state.expiresAt = clock.now().addingTimeInterval(expiry.seconds)
        states[key] = state
        settle(key)
    }

    /// `typing_stop`: stops it (held like any change within the interval).
    func stop(user: UUID, room: UUID) {
        let key = Key(user: user, room: room)
        guard states[key] != nil else { return }
        states[key]?.typing = false
        settle(key)
    }

    /// Sending, leaving the room or disconnecting: the indicator goes off at once.
    func end(user: UUID, room: UUID) {
        guard let state = states.removeValue(forKey: Key(user: user, room: room)) else { return }
        state.timer?.cancel()
        if state.shown { announce(Key(user: user, room: room), typing: false) }
    }

    /// Brings what the room is shown in line with what the client said, as far as the interval
    /// allows, and sets the next wake-up: when a held change may go out, when the indicator
    /// expires, or when the interval ends and the state can be forgotten.
    private func settle(_ key: Key) {
        guard var state = states[key] else { return }
        let now = clock.now()
        if state.typing, state.expiresAt <= now { state.typing = false }
        if state.typing != state.shown, state.quietUntil <= now {
            announce(key, typing: state.typing)
            state.shown = state.typing
            state.quietUntil = now.addingTimeInterval(interval.seconds)
        }
        state.timer?.cancel()
        state.timer = nil
        if !state.typing, !state.shown, state.quietUntil <= now {
            states[key] = nil
            return
        }
        var wake = state.quietUntil
        if state.typing, state.typing == state.shown || state.expiresAt < wake { wake = state.expiresAt }
        state.timer = Task { [weak self, clock] in
            try? await clock.sleep(until: wake)
            guard !Task.isCancelled else { return }
            await self?.settle(key)
        }
        states[key] = state
    }

    private func announce(_ key: Key, typing: Bool) {
        let frame = ServerFrame(
            type: "user_typing",
            data: .object(["room_id": .string(key.room.apiString), "user_id": .string(key.user.apiString), "typing": .bool(typing)]),
            ref: nil)
        announcements.yield(RealtimeSignal(frame: frame.text(), rooms: [key.room], exceptUser: key.user))
    }
}
