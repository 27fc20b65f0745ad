import Foundation

public enum PongSide: String, Sendable, Codable, CaseIterable {
    case left, right

    public var opponent: PongSide { self == .left ? .right : .left }
}

/// What a player's keys say during one tick.
public enum PaddleInput: Int, Sendable, Codable {
    case up = -1, none = 0, down = 1
}

public struct Ball: Sendable, Equatable, Codable {
    /// The centre.
    public var x, y: Double
    /// Per second.
    public var velocityX, velocityY: Double

    var speed: Double { (velocityX * velocityX + velocityY * velocityY).squareRoot() }
}

/// One value for each player: the score, the paddles.
public struct PerSide<Value: Sendable & Equatable & Codable>: Sendable, Equatable, Codable {
    public var left: Value
    public var right: Value

    public init(left: Value, right: Value) {
        self.left = left
        self.right = right
    }

    public init(both value: Value) {
        self.init(left: value, right: value)
    }

    public subscript(side: PongSide) -> Value {
        get { side == .left ? left : right }
        set { if side == .left { left = newValue } else { right = newValue } }
    }
}

public enum MatchEnd: Sendable, Equatable, Codable {
    /// `winner` reached the points to win.
    case won(PongSide)
    /// The other player was away too long.
    case forfeited(winner: PongSide)
    /// Both players were away too long.
    case abandoned
}

public enum PongPhase: Sendable, Equatable, Codable {
    /// The ball waits at the centre, then goes towards `receiver`.
    case serving(receiver: PongSide, ticksLeft: Int)
    case playing
    /// Play stops while a player is away, and starts again with a serve when they are back.
    case paused(receiver: PongSide)
    case over(MatchEnd)
}

/// What happened during a step, for the clients' sounds and the room's record.
public enum PongEvent: Sendable, Equatable {
    case served(towards: PongSide)
    case wallBounce
    case paddleHit(PongSide)
    case point(scoredBy: PongSide)
    case over(MatchEnd)
}

/// One match of Pong, server-authoritative: the server calls `step` at the rules' fixed tick with
/// the players' latest inputs, and sends the resulting state to both players and any spectator.
/// Pure: no clock, no I/O, its randomness (serve angles, the first receiver) from a seed.
public struct PongMatch: Sendable, Equatable {
    public let rules: PongRules
    public internal(set) var ball: Ball
    /// The centres of the paddles, from the top.
    public internal(set) var paddleY: PerSide<Double>
    public internal(set) var score = PerSide(both: 0)
    public internal(set) var phase: PongPhase
    public private(set) var tick = 0
    /// Ticks each player has been away, up to now; 0 while connected.
    private var awayTicks = PerSide(both: 0)
    private var connected: Set<PongSide> = [.left, .right]
    private var random: SplitMix64

    public init(rules: PongRules = PongRules(), seed: UInt64) {
        self.rules = rules
        random = SplitMix64(seed: seed)
        ball = Ball(x: rules.courtWidth / 2, y: rules.courtHeight / 2, velocityX: 0, velocityY: 0)
        paddleY = PerSide(both: rules.courtHeight / 2)
        let receiver: PongSide = random.next() & 1 == 0 ? .left : .right
        phase = .serving(receiver: receiver, ticksLeft: rules.servePauseTicks)
    }

    public var isOver: Bool {
        if case .over = phase { return true }
        return false
    }

    public func isConnected(_ side: PongSide) -> Bool { connected.contains(side) }

    /// A player's connection went or came back: play pauses while either is away.
    public mutating func setConnected(_ side: PongSide, _ isConnected: Bool) {
        if isConnected {
            connected.insert(side)
            awayTicks[side] = 0
        } else {
            connected.remove(side)
        }
    }

    /// Moves the match on by one tick.
    @discardableResult
    public mutating func step(left: PaddleInput, right: PaddleInput) -> [PongEvent] {
        if isOver { return [] }
        tick += 1
        if let end = forfeit() {
            phase = .over(end)
            return [.over(end)]
        }
        if connected.count < 2 {
            pause()
            return []
        }
        movePaddle(.left, left)
        movePaddle(.right, right)
        switch phase {
        case .paused(let receiver):
            resetBall()
            phase = .serving(receiver: receiver, ticksLeft: rules.servePauseTicks)
            return []
        case .serving(let receiver, let ticksLeft) where ticksLeft > 1:
            phase = .serving(receiver: receiver, ticksLeft: ticksLeft - 1)
            return []
        case .serving(let receiver, _):
            serve(towards: receiver)
            return [.served(towards: receiver)]
        case .playing:
            return moveBall()
        case .over:
            return []
        }
    }

    /// The end of the match when a player has been away too long.
    private mutating func forfeit() -> MatchEnd? {
        for side in PongSide.allCases where !connected.contains(side) { awayTicks[side] += 1 }
        let gone = PongSide.allCases.filter { awayTicks[$0] > rules.forfeitAfterTicks }
        switch gone.count {
        case 0: return nil
        case 1: return .forfeited(winner: gone[0].opponent)
        default: return .abandoned
        }
    }

    private mutating func pause() {
        switch phase {
        case .serving(let receiver, _), .paused(let receiver):
            phase = .paused(receiver: receiver)
        case .playing:
            // The rally is void: the ball goes back to the centre, towards whoever it was heading for.
            phase = .paused(receiver: ball.velocityX < 0 ? .left : .right)
        case .over:
            break
        }
    }

    private mutating func movePaddle(_ side: PongSide, _ input: PaddleInput) {
        let half = rules.paddleHeight / 2
        let moved = paddleY[side] + Double(input.rawValue) * rules.paddleSpeed * rules.secondsPerTick
        paddleY[side] = min(max(moved, half), rules.courtHeight - half)
    }

    private mutating func resetBall() {
        ball = Ball(x: rules.courtWidth / 2, y: rules.courtHeight / 2, velocityX: 0, velocityY: 0)
    }

    private mutating func serve(towards receiver: PongSide) {
        resetBall()
        let angle = (random.nextUnit() * 2 - 1) * rules.maximumServeAngle
        let direction = receiver == .left ? -1.0 : 1.0
        ball.velocityX = direction * rules.serveSpeed * cos(angle)
        ball.velocityY = rules.serveSpeed * sin(angle)
        phase = .playing
    }

    /// One tick of flight: off the walls, off a paddle, or past one for a point. The paddle test is
    /// swept (where the ball crosses the paddle's face during the tick), so no speed tunnels through.
    private mutating func moveBall() -> [PongEvent] {
        var events: [PongEvent] = []
        let radius = rules.ballSize / 2
        let start = ball
        ball.x += ball.velocityX * rules.secondsPerTick
        ball.y += ball.velocityY * rules.secondsPerTick
        if ball.y - radius < 0 {
            ball.y = 2 * radius - ball.y
            ball.velocityY = abs(ball.velocityY)
            events.append(.wallBounce)
        } else if ball.y + radius > rules.courtHeight {
            ball.y = 2 * (rules.courtHeight - radius) - ball.y
            ball.velocityY = -abs(ball.velocityY)
            events.append(.wallBounce)
        }
        let side: PongSide = start.velocityX < 0 ? .left : .right
        if let hit = paddleContact(side, from: start, radius: radius) {
            bounce(off: side, at: hit, radius: radius)
            events.append(.paddleHit(side))
        } else if ball.x < 0 || ball.x > rules.courtWidth {
            events += point(for: side.opponent)
        }
        return events
    }

    /// Where (the ball's centre y) the ball met `side`'s paddle face during this tick, if it did.
    private func paddleContact(_ side: PongSide, from start: Ball, radius: Double) -> Double? {
        // The face the ball can hit, and the ball's leading edge before and after the tick.
        let face = side == .left ? rules.paddleInset + rules.paddleWidth : rules.courtWidth - rules.paddleInset - rules.paddleWidth
        let (before, after) = side == .left ? (start.x - radius, ball.x - radius) : (start.x + radius, ball.x + radius)
        let crossed = side == .left ? before >= face && after < face : before <= face && after > face
        guard crossed else { return nil }
        let fraction = (before - face) / (before - after)
        let y = start.y + (ball.y - start.y) * fraction
        let paddle = paddleY[side]
        return abs(y - paddle) <= rules.paddleHeight / 2 + radius ? y : nil
    }

    /// Sends the ball back from `side`'s paddle, faster, at an angle set by where it hit.
    private mutating func bounce(off side: PongSide, at y: Double, radius: Double) {
        let reach = rules.paddleHeight / 2 + radius
        let offset = min(max((y - paddleY[side]) / reach, -1), 1)
        let angle = offset * rules.maximumBounceAngle
        let speed = min(ball.speed * rules.speedUpPerHit, rules.maximumBallSpeed)
        let direction = side == .left ? 1.0 : -1.0
        ball.velocityX = direction * speed * cos(angle)
        ball.velocityY = speed * sin(angle)
        ball.x = side == .left ? rules.paddleInset + rules.paddleWidth + radius : rules.courtWidth - rules.paddleInset - rules.paddleWidth - radius
        ball.y = y
    }

    private mutating func point(for scorer: PongSide) -> [PongEvent] {
        score[scorer] += 1
        resetBall()
        if score[scorer] >= rules.pointsToWin {
            phase = .over(.won(scorer))
            return [.point(scoredBy: scorer), .over(.won(scorer))]
        }
        // The player who lost the point receives the next serve.
        phase = .serving(receiver: scorer.opponent, ticksLeft: rules.servePauseTicks)
        return [.point(scoredBy: scorer)]
    }
}

/// A small seeded generator (SplitMix64), so a match replays exactly from its seed and inputs.
struct SplitMix64: Sendable, Equatable {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    mutating func nextUnit() -> Double { Double(next() >> 11) / Double(1 << 53) }
}
