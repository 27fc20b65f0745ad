import Foundation
import GamesAPI
import PongRules
import Synchronization

/// A match being played in this instance: the rules' state, each player's latest input and when
/// each was last heard from. Inputs arrive from requests while the tick loop steps it, so its
/// state sits behind a lock (held for microseconds: one step, or one input).
final class LiveMatch: Sendable {
    /// A player's latest input: its direction and the client's number for it, echoed in the state
    /// frames so a client can tell when the server saw it.
    struct Input: Codable, Sendable, Equatable {
        var direction = PaddleInput.none
        var sequence = 0
        var heardAt: Date?
    }

    private struct State {
        var pong: PongMatch
        var inputs = PerSide(left: Input(), right: Input())
        /// An input changed since the last frame: the next tick sends one, whatever the cadence.
        var inputChanged = false
    }

    /// What one tick came to: the state frame to send (when one is due), and the end, if it came.
    struct TickOutcome: Sendable {
        let frame: PongStateFrame?
        let end: MatchEnd?
    }

    let record: GameMatch
    private let state: Mutex<State>

    init(record: GameMatch, seed: UInt64, rules: PongRules) {
        self.record = record
        state = Mutex(State(pong: PongMatch(rules: rules, seed: seed)))
    }

    /// The side `user` plays; nil for anyone else.
    func side(of user: UUID) -> PongSide? {
        if user == record.players.left { return .left }
        if user == record.players.right { return .right }
        return nil
    }

    /// A player's input (or the same one again: clients repeat it every second to say they are
    /// there). Returns the tick it will apply from.
    func input(_ direction: PaddleInput, sequence: Int, from side: PongSide, at now: Date) -> Int {
        state.withLock { state in
            if state.inputs[side].direction != direction || state.inputs[side].sequence != sequence { state.inputChanged = true }
            state.inputs[side] = Input(direction: direction, sequence: sequence, heardAt: now)
            return state.pong.tick + 1
        }
    }

    var score: PerSide<Int> { state.withLock { $0.pong.score } }

    /// One step of the match at `now`. A player not heard from for `awayAfter` counts as away
    /// (play pauses; away too long, they forfeit). A frame goes out every `frameEvery` ticks, and
    /// at once after an input changed or something happened (a serve, a hit, a point, the end).
    func tick(at now: Date, awayAfter: TimeInterval, frameEvery: Int) -> TickOutcome {
        state.withLock { state in
            for side in PongSide.allCases {
                let heard = state.inputs[side].heardAt.map { now.timeIntervalSince($0) <= awayAfter } ?? false
                state.pong.setConnected(side, heard)
            }
            let events = state.pong.step(left: state.inputs.left.direction, right: state.inputs.right.direction)
            let end: MatchEnd? = if case .over(let end) = state.pong.phase { end } else { nil }
            let due = state.inputChanged || !events.isEmpty || state.pong.tick % frameEvery == 0
            guard due else { return TickOutcome(frame: nil, end: end) }
            state.inputChanged = false
            return TickOutcome(frame: PongStateFrame(match: record, pong: state.pong, inputs: state.inputs, now: now), end: end)
        }
    }
}
