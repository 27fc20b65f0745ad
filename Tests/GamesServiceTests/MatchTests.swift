import Foundation
import GamesAPI
import ServiceKit
import Testing
import TestSupport

/// Matches played through the service on a test clock: whole matches to a result and its line
/// for the room, a forfeit, inputs refused to anyone but the players, and the state published for
/// players and spectators.
@Suite struct MatchTests {
    @Test func aWholeMatchEndsWithTheResultAndTheLeaderboard() async throws {
        try await withGames { games in
            try await withTimeout(seconds: 120) {
                let (alice, bob) = (try await games.user(), try await games.user())
                let room = try await games.room(alice, with: [bob])
                let match = try await games.match(in: room, alice, against: bob)
                try await games.play(match, present: [alice, bob])

                let result = try await games.matchState(match, as: bob)
                #expect(result["status"] as? String == "won")
                let score = try #require(result["score"] as? [String: Int])
                let winnerIsAlice = result["winner_id"] as? String == alice.id
                let (winner, loser) = winnerIsAlice ? (alice, bob) : (bob, alice)
                let (won, lost) = winnerIsAlice ? (score["left"]!, score["right"]!) : (score["right"]!, score["left"]!)
                #expect(won == 11)
                #expect(lost < 11)
                #expect(result["ended_at"] is String)

                let finished = try #require(try await games.events.waitFor(1) { $0.type == GameEventType.matchFinished.rawValue }.first)
                let payload = try JSONValueDecoder.decode(GameMatchChanged.self, from: finished.data)
                #expect(payload.summary == "\(winner.username) beat \(loser.username) \(won)-\(lost)")

                let board = try await games.service.call(.get, "/rooms/\(room)/games/leaderboard", token: alice.token)
                let leaders = try #require(board["leaders"] as? [[String: Any]])
                #expect(leaders.map { $0["user_id"] as? String } == [winner.id, loser.id])
                #expect(leaders.map { $0["wins"] as? Int } == [1, 0])
                #expect(leaders.map { $0["played"] as? Int } == [1, 1])
                // Over: inputs are refused, and a new match may start.
                #expect(try await games.input("up", to: match, by: alice).errorCode == "match_over")
                _ = try await games.match(in: room, bob, against: alice)
            }
        }
    }

    @Test func aPlayerWhoNeverComesForfeits() async throws {
        try await withGames { games in
            try await withTimeout(seconds: 60) {
                let (alice, bob) = (try await games.user(), try await games.user())
                let room = try await games.room(alice, with: [bob])
                let match = try await games.match(in: room, alice, against: bob)
                // Bob never sends anything: play pauses at once, and after 10 s he forfeits.
                let ticks = try await games.play(match, present: [alice])
                #expect(ticks >= 600)
                #expect(ticks < 700)
                let result = try await games.matchState(match, as: alice)
                #expect(result["status"] as? String == "forfeited")
                #expect(result["winner_id"] as? String == alice.id)
                #expect(result["score"] as? [String: Int] == ["left": 0, "right": 0])
                let finished = try #require(try await games.events.waitFor(1) { $0.type == GameEventType.matchFinished.rawValue }.first)
                #expect(finished.data["summary"]?.stringValue == "\(alice.username) beat \(bob.username) 0-0 (\(bob.username) left the match)")
            }
        }
    }

    @Test func onlyThePlayersSendInputs() async throws {
        try await withGames { games in
            let (alice, bob, carol, stranger) = (try await games.user(), try await games.user(), try await games.user(), try await games.user())
            let room = try await games.room(alice, with: [bob, carol])
            let match = try await games.match(in: room, alice, against: bob)
            let accepted = try await games.input("down", to: match, by: bob, seq: 7)
            #expect(accepted.status == .ok)
            #expect(accepted["side"] as? String == "right")
            let refused = try await games.input("up", to: match, by: carol)
            #expect(refused.status == .forbidden)
            #expect(refused.errorCode == "not_a_player")
            #expect(try await games.input("up", to: match, by: stranger).status == .notFound)
            #expect(try await games.input("sideways", to: match, by: alice).errorField == "direction")
            #expect(try await games.service.call(.get, "/games/matches/\(match)", token: stranger.token).status == .notFound)
            #expect(try await games.service.call(.get, "/games/matches/\(match)", token: carol.token)["status"] as? String == "playing")
        }
    }

    @Test func theStateGoesToThePlayersAndWhoeverLooksAtTheRoom() async throws {
        try await withGames { games in
            try await withTimeout(seconds: 60) {
                let (alice, bob) = (try await games.user(), try await games.user())
                let room = try await games.room(alice, with: [bob])
                let subscription = try await games.redis.subscribe(to: [games.redis.namespaced(RealtimeSignal.channel)])
                defer { Task { await subscription.close() } }
                let match = try await games.match(in: room, alice, against: bob)
                #expect(try await games.input("up", to: match, by: alice, seq: 3).status == .ok)
                #expect(try await games.input("none", to: match, by: bob, seq: 1).status == .ok)
                // The input changed: the very next tick sends a frame echoing it.
                try await games.clock.waitForSleepers()
                games.clock.advance(by: 1.0 / 60 + 0.000_001)
                var messages = subscription.messages.makeAsyncIterator()
                let signal = try JSONDecoder().decode(RealtimeSignal.self, from: Data(try #require(await messages.next()).payload.utf8))
                #expect(signal.viewersOf.map(\.apiString) == [room])
                #expect(Set(signal.users.map(\.apiString)) == [alice.id, bob.id])
                let frame = try #require(try JSONSerialization.jsonObject(with: Data(signal.frame.utf8)) as? [String: Any])
                #expect(frame["type"] as? String == "pong_state")
                let data = try #require(frame["data"] as? [String: Any])
                #expect(data["match_id"] as? String == match)
                #expect(data["tick"] as? Int == 1)
                #expect(data["phase"] as? String == "serving")
                let inputs = try #require(data["inputs"] as? [String: [String: Any]])
                #expect(inputs["left"]?["direction"] as? String == "up")
                #expect(inputs["left"]?["seq"] as? Int == 3)
                #expect(data["score"] as? [String: Int] == ["left": 0, "right": 0])
                #expect((data["court"] as? [String: Double])?["width"] == 800)
            }
        }
    }
}
