import Foundation
import GamesAPI
import PongRules
import ServiceKit

/// `pong_state`, the frame players and spectators get while a match is played (API.md): where
/// the ball and paddles are, the score, the phase, and each player's latest input as the server
/// applied it (`seq` is the client's number for it). Positions are court units (the court is
/// `court.width` by `court.height`, y downwards); clients draw between frames by interpolating.
struct PongStateFrame: Encodable, Sendable {
    struct Court: Encodable, Sendable {
        let width, height, paddleWidth, paddleHeight, paddleInset, ballSize: Double
    }

    struct Ball: Encodable, Sendable {
        let x, y, vx, vy: Double
    }

    struct InputEcho: Codable, Sendable, Equatable {
        let direction: String
        let seq: Int
        let connected: Bool
    }

    struct Data: Encodable, Sendable {
        let matchId: String
        let roomId: String
        let tick: Int
        let sentAt: Date
        /// `serving`, `playing`, `paused` or `over`.
        let phase: String
        let ball: Ball
        let paddles: GameMatch.Sides<Double>
        let score: GameMatch.Sides<Int>
        let inputs: GameMatch.Sides<InputEcho>
        let court: Court
    }

    let type = "pong_state"
    let data: Data

    init(match: GameMatch, pong: PongMatch, inputs: PerSide<LiveMatch.Input>, now: Date) {
        let rules = pong.rules
        func rounded(_ value: Double) -> Double { (value * 10).rounded() / 10 }
        func echo(_ side: PongSide) -> InputEcho {
            InputEcho(direction: inputs[side].direction.name, seq: inputs[side].sequence, connected: pong.isConnected(side))
        }
        data = Data(
            matchId: match.id.apiString, roomId: match.roomId.apiString, tick: pong.tick, sentAt: now, phase: pong.phase.name,
            ball: Ball(x: rounded(pong.ball.x), y: rounded(pong.ball.y), vx: rounded(pong.ball.velocityX), vy: rounded(pong.ball.velocityY)),
            paddles: .init(left: rounded(pong.paddleY.left), right: rounded(pong.paddleY.right)),
            score: .init(left: pong.score.left, right: pong.score.right),
            inputs: .init(left: echo(.left), right: echo(.right)),
            court: Court(
                width: rules.courtWidth, height: rules.courtHeight, paddleWidth: rules.paddleWidth, paddleHeight: rules.paddleHeight,
                paddleInset: rules.paddleInset, ballSize: rules.ballSize))
    }

    /// The frame's JSON text, as clients get it.
    func text() throws -> String {
        String(decoding: try APIJSON.encoder().encode(self), as: UTF8.self)
    }
}

extension PaddleInput {
    /// API.md's name for it: `up`, `down` or `none`.
    var name: String {
        switch self {
        case .up: "up"
        case .down: "down"
        case .none: "none"
        }
    }

    init?(name: String) {
        switch name {
        case "up": self = .up
        case "down": self = .down
        case "none": self = .none
        default: return nil
        }
    }
}

extension PongPhase {
    var name: String {
        switch self {
        case .serving: "serving"
        case .playing: "playing"
        case .paused: "paused"
        case .over: "over"
        }
    }
}
