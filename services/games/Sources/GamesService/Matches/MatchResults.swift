import AuthAPI
import Foundation
import GamesAPI
import Logging
import PongRules
import ServiceKit

/// Writes how a match ended and emits `game_finished` with the room's line about it ("Alice beat
/// Bob 11-7"), in one transaction. A result is never dropped: a failed write is tried again each
/// second until it lands (or the service stops, which logs it as lost).
struct MatchResults: Sendable {
    let store: GameStore
    let outbox: Outbox
    let users: any UserDirectory
    let clock: WallClock
    let logger: Logger

    func record(_ match: GameMatch, score: PerSide<Int>, end: MatchEnd) async {
        var finished = match
        finished.score = .init(left: score.left, right: score.right)
        finished.endedAt = clock.now()
        switch end {
        case .won(let side):
            (finished.status, finished.winnerId) = ("won", side == .left ? match.players.left : match.players.right)
        case .forfeited(let side):
            (finished.status, finished.winnerId) = ("forfeited", side == .left ? match.players.left : match.players.right)
        case .abandoned:
            (finished.status, finished.winnerId) = ("abandoned", nil)
        }
        let summary = Self.summary(of: finished, names: await Self.names(of: [match.players.left, match.players.right], in: users))
        while true {
            do {
                try await outbox.transaction { tx in
                    guard try await store.finish(finished, on: tx.connection) else { return }
                    try await tx.emit(
                        GameEventType.matchFinished.rawValue, stream: finished.roomId.apiString,
                        data: GameMatchChanged(roomId: finished.roomId, match: finished, summary: summary))
                }
                return
            } catch {
                guard !Task.isCancelled else {
                    logger.error("a match's result was lost", metadata: ["match_id": "\(match.id.apiString)", "error": "\(error)"])
                    return
                }
                logger.warning("could not record a match's result; trying again", metadata: ["error": "\(error)"])
                try? await clock.sleep(for: .seconds(1))
            }
        }
    }

    /// Matches a stopped instance left playing: recorded as abandoned, at the score they had
    /// when last written (the start).
    func abandonLeftovers() async throws {
        for match in try await store.playingMatches() {
            await record(match, score: PerSide(left: match.score.left, right: match.score.right), end: .abandoned)
        }
    }

    /// "Alice beat Bob 11-7", the winner's score first.
    static func summary(of match: GameMatch, names: [UUID: String]) -> String {
        let (left, right) = (names[match.players.left] ?? "A player", names[match.players.right] ?? "A player")
        guard let winner = match.winnerId else {
            return "The Pong match between \(left) and \(right) was abandoned at \(match.score.left)-\(match.score.right)"
        }
        let leftWon = winner == match.players.left
        let (winnerName, loserName) = leftWon ? (left, right) : (right, left)
        let (winnerScore, loserScore) = leftWon ? (match.score.left, match.score.right) : (match.score.right, match.score.left)
        let line = "\(winnerName) beat \(loserName) \(winnerScore)-\(loserScore)"
        return match.status == "forfeited" ? "\(line) (\(loserName) left the match)" : line
    }

    /// Display names by id; whoever auth cannot name now is left out.
    static func names(of ids: [UUID], in users: any UserDirectory) async -> [UUID: String] {
        guard let users = try? await users.users(ids) else { return [:] }
        return users.mapValues(\.displayName)
    }
}
