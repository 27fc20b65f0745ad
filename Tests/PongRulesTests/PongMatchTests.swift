import Foundation
import Testing

@testable import PongRules

/// Pong's rules, stepped tick by tick: serves, bounces, paddle angles, scoring and forfeits.
@Suite struct PongMatchTests {
    let rules = PongRules()

    /// A match already in play with the ball at (`x`, `y`) moving at (`vx`, `vy`) per second.
    func rally(x: Double, y: Double, vx: Double, vy: Double) -> PongMatch {
        var match = PongMatch(rules: rules, seed: 7)
        match.ball = Ball(x: x, y: y, velocityX: vx, velocityY: vy)
        match.phase = .playing
        return match
    }

    /// Steps with no input until `done` says so, at most `limit` ticks; the events on the way.
    @discardableResult
    func play(_ match: inout PongMatch, limit: Int = 10_000, until done: (PongMatch, [PongEvent]) -> Bool) -> [PongEvent] {
        var all: [PongEvent] = []
        for _ in 0..<limit {
            let events = match.step(left: .none, right: .none)
            all += events
            if done(match, events) { return all }
        }
        Issue.record("still going after \(limit) ticks: \(match.phase)")
        return all
    }

    @Test func theBallWaitsASecondAtTheCentreThenGoesToTheReceiverAtServeSpeed() {
        var match = PongMatch(rules: rules, seed: 42)
        guard case .serving(let receiver, let ticksLeft) = match.phase else {
            Issue.record("not serving: \(match.phase)")
            return
        }
        #expect(ticksLeft == 60)
        for _ in 1..<60 { #expect(match.step(left: .none, right: .none).isEmpty) }
        #expect(match.ball.x == 400 && match.ball.y == 300 && match.ball.velocityX == 0)
        #expect(match.step(left: .none, right: .none) == [.served(towards: receiver)])
        #expect(match.phase == .playing)
        #expect(abs(match.ball.speed - rules.serveSpeed) < 1e-9)
        #expect((match.ball.velocityX < 0) == (receiver == .left))
        #expect(abs(atan(match.ball.velocityY / abs(match.ball.velocityX))) <= rules.maximumServeAngle + 1e-12)
    }

    @Test func serveAnglesVaryAndTheFirstReceiverIsEitherSide() {
        var receivers = Set<PongSide>()
        var angles = Set<Double>()
        for seed in UInt64(0)..<40 {
            var match = PongMatch(rules: rules, seed: seed)
            if case .serving(let receiver, _) = match.phase { receivers.insert(receiver) }
            for _ in 0..<60 { match.step(left: .none, right: .none) }
            angles.insert(atan(match.ball.velocityY / abs(match.ball.velocityX)))
        }
        #expect(receivers == [.left, .right])
        #expect(angles.count == 40)
        #expect(angles.contains { $0 < 0 } && angles.contains { $0 > 0 })
    }

    @Test func theSameSeedAndInputsPlayTheSameMatch() {
        var first = PongMatch(rules: rules, seed: 99)
        var second = PongMatch(rules: rules, seed: 99)
        for tick in 0..<3_000 {
            let left: PaddleInput = tick % 90 < 45 ? .up : .down
            let right: PaddleInput = tick % 70 < 35 ? .down : .up
            #expect(first.step(left: left, right: right) == second.step(left: left, right: right))
        }
        #expect(first == second)
    }

    @Test func theBallBouncesOffTheTopAndBottomWalls() {
        var match = rally(x: 400, y: 10, vx: 120, vy: -600)
        #expect(match.step(left: .none, right: .none) == [.wallBounce])
        #expect(match.ball.velocityY == 600 && match.ball.y >= rules.ballSize / 2)
        match = rally(x: 400, y: 592, vx: 120, vy: 600)
        #expect(match.step(left: .none, right: .none) == [.wallBounce])
        #expect(match.ball.velocityY == -600 && match.ball.y <= rules.courtHeight - rules.ballSize / 2)
    }

    @Test func aBallOnThePaddlesMiddleComesBackStraightAndFaster() {
        var match = rally(x: 100, y: 300, vx: -360, vy: 0)
        let events = play(&match) { _, events in events.contains(.paddleHit(.left)) }
        #expect(events == [.paddleHit(.left)])
        #expect(match.ball.velocityX > 0 && abs(match.ball.velocityY) < 1e-9)
        #expect(abs(match.ball.speed - 360 * rules.speedUpPerHit) < 1e-9)
        #expect(match.ball.x == rules.paddleInset + rules.paddleWidth + rules.ballSize / 2)
    }

    @Test(arguments: [(offset: 56.0, angle: Double.pi / 3), (offset: -56.0, angle: -Double.pi / 3), (offset: 28.0, angle: Double.pi / 6)])
    func whereTheBallMeetsThePaddleSetsItsAngle(offset: Double, angle: Double) {
        var match = rally(x: 700, y: 300 + offset, vx: 360, vy: 0)
        play(&match) { _, events in events.contains(.paddleHit(.right)) }
        #expect(match.ball.velocityX < 0)
        #expect(abs(atan2(match.ball.velocityY, -match.ball.velocityX) - angle) < 1e-9)
    }

    @Test func aBallPastThePaddleScoresForTheOtherPlayerWhoThenServesToTheLoser() {
        var match = rally(x: 100, y: 50, vx: -360, vy: 0)
        let events = play(&match) { match, _ in match.score.right == 1 }
        #expect(events == [.point(scoredBy: .right)])
        #expect(match.score == PerSide(left: 0, right: 1))
        #expect(match.phase == .serving(receiver: .left, ticksLeft: rules.servePauseTicks))
        #expect(match.ball.x == 400 && match.ball.y == 300)
    }

    @Test func noSpeedTunnelsThroughAPaddle() {
        // At the highest speed the ball moves 16 units a tick, more than the paddle is wide.
        for start in stride(from: 60.0, through: 76.0, by: 0.5) {
            var match = rally(x: start, y: 300, vx: -rules.maximumBallSpeed, vy: 0)
            play(&match, limit: 20) { _, events in !events.isEmpty }
            #expect(match.ball.velocityX > 0, "from x \(start) the ball went through")
        }
    }

    @Test func paddlesMoveAtTheirSpeedAndStopAtTheWalls() {
        var match = PongMatch(rules: rules, seed: 1)
        match.step(left: .up, right: .down)
        #expect(match.paddleY[.left] == 300 - rules.paddleSpeed / 60 && match.paddleY[.right] == 300 + rules.paddleSpeed / 60)
        for _ in 0..<200 { match.step(left: .up, right: .down) }
        #expect(match.paddleY[.left] == rules.paddleHeight / 2 && match.paddleY[.right] == rules.courtHeight - rules.paddleHeight / 2)
    }

    @Test func theFirstToElevenWinsAndNothingMovesAfter() {
        var match = PongMatch(rules: rules, seed: 3)
        // Nobody moves: every rally ends in a point for someone.
        let events = play(&match, limit: 100_000) { match, _ in match.isOver }
        let winner: PongSide = match.score.left == 11 ? .left : .right
        #expect(match.score[winner] == 11 && match.score[winner.opponent] < 11)
        #expect(match.phase == .over(.won(winner)))
        #expect(events.last == .over(.won(winner)))
        #expect(events.filter { if case .point = $0 { true } else { false } }.count == 11 + match.score[winner.opponent])
        let finished = match
        #expect(match.step(left: .up, right: .down).isEmpty)
        #expect(match == finished)
    }

    @Test func aPlayerAwayMoreThanTenSecondsForfeits() {
        var match = rally(x: 400, y: 300, vx: 360, vy: 0)
        match.score = PerSide(left: 9, right: 2)
        match.setConnected(.left, false)
        let frozen = match.ball
        for _ in 0..<rules.forfeitAfterTicks { #expect(match.step(left: .none, right: .none).isEmpty) }
        #expect(match.phase == .paused(receiver: .right))
        #expect(match.ball == frozen, "play stops while a player is away")
        #expect(match.step(left: .none, right: .none) == [.over(.forfeited(winner: .right))])
        #expect(match.isOver)
    }

    @Test func aPlayerBackWithinTenSecondsPlaysOnFromAServe() {
        var match = rally(x: 400, y: 300, vx: -360, vy: 0)
        match.setConnected(.right, false)
        for _ in 0..<(rules.forfeitAfterTicks - 1) { match.step(left: .none, right: .none) }
        match.setConnected(.right, true)
        match.step(left: .none, right: .none)
        #expect(match.phase == .serving(receiver: .left, ticksLeft: rules.servePauseTicks))
        #expect(match.ball.x == 400 && match.ball.velocityX == 0)
        // The time away starts again from nothing the next time.
        match.setConnected(.right, false)
        for _ in 0..<rules.forfeitAfterTicks { match.step(left: .none, right: .none) }
        #expect(!match.isOver)
    }

    @Test func bothPlayersAwayTooLongAbandonTheMatch() {
        var match = PongMatch(rules: rules, seed: 5)
        match.setConnected(.left, false)
        match.setConnected(.right, false)
        for _ in 0..<rules.forfeitAfterTicks { match.step(left: .none, right: .none) }
        #expect(match.step(left: .none, right: .none) == [.over(.abandoned)])
    }
}
