import Foundation
import GamesAPI
import PongRules
import ServiceKit

/// `pong_state`, the frame players and spectators get while a match is played (openapi.yaml):
/// where the ball and paddles are, the score, the phase, and each player's latest input as the
/// server applied it (`seq` is the client's number for it). Positions are court units (the court
/// is `court.width` by `court.height`, y downwards), to a tenth; clients draw between frames.
struct PongStateFrame: Sendable {
    let match: GameMatch
    let pong: PongMatch
    let inputs: PerSide<LiveMatch.Input>
    let now: Date

    /// The frame's JSON text, as clients get it. Written directly: 3,000 frames a second for 100
    /// matches, and nothing in it is text from a user (ids, numbers, names of this file's own).
    func text() -> String {
        let rules = pong.rules
        func number(_ value: Double) -> String {
            guard value.isFinite, abs(value) < 1e12 else { return "0" }
            let tenths = Int64((value * 10).rounded())
            return (tenths < 0 ? "-" : "") + "\(tenths.magnitude / 10).\(tenths.magnitude % 10)"
        }
        func input(_ side: PongSide) -> String {
            #"{"direction":"\#(inputs[side].direction.name)","seq":\#(inputs[side].sequence),"connected":\#(pong.isConnected(side))}"#
        }
        let ball = pong.ball
        return #"{"type":"pong_state","data":{"match_id":"\#(match.id.apiString)","room_id":"\#(match.roomId.apiString)","#
            + #""tick":\#(pong.tick),"sent_at":"\#(Timestamp.format(now))","phase":"\#(pong.phase.name)","#
            + #""ball":{"x":\#(number(ball.x)),"y":\#(number(ball.y)),"vx":\#(number(ball.velocityX)),"vy":\#(number(ball.velocityY))},"#
            + #""paddles":{"left":\#(number(pong.paddleY.left)),"right":\#(number(pong.paddleY.right))},"#
            + #""score":{"left":\#(pong.score.left),"right":\#(pong.score.right)},"#
            + #""inputs":{"left":\#(input(.left)),"right":\#(input(.right))},"#
            + #""court":{"width":\#(number(rules.courtWidth)),"height":\#(number(rules.courtHeight)),"#
            + #""paddle_width":\#(number(rules.paddleWidth)),"paddle_height":\#(number(rules.paddleHeight)),"#
            + #""paddle_inset":\#(number(rules.paddleInset)),"ball_size":\#(number(rules.ballSize))}}}"#
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
