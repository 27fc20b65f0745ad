import Foundation
import GamesAPI
import ServiceKit
import Testing
import TestSupport

/// Invitations to play: posted (as an event messages turns into the room's message), answered
/// once by whom they invite, expiring after five minutes, and invisible outside the room.
@Suite struct InvitationTests {
    @Test func anInvitationIsAcceptedOnceAndStartsAMatch() async throws {
        try await withGames { games in
            let (alice, bob, carol) = (try await games.user(), try await games.user(), try await games.user())
            let room = try await games.room(alice, with: [bob, carol])
            let invited = try await games.invite(in: room, by: alice, invitee: bob)
            #expect(invited.status == .created)
            let id = try #require(invited["id"] as? String)
            #expect(invited["status"] as? String == "pending")
            #expect(invited["invitee_id"] as? String == bob.id)
            #expect(invited["match_id"] is NSNull)

            let event = try #require(try await games.events.waitFor(1) { $0.type == GameEventType.invited.rawValue }.first)
            let payload = try JSONValueDecoder.decode(GameInvited.self, from: event.data)
            #expect(payload.invitation.id.apiString == id)
            #expect(payload.text == "\(alice.username) invited \(bob.username) to play Pong")
            #expect(event.data["room_id"]?.stringValue == room)

            // Only the invited may answer; the inviter may not accept their own.
            #expect(try await games.service.call(.post, "/games/invitations/\(id)/accept", token: carol.token).errorCode == "not_invited")
            #expect(try await games.service.call(.post, "/games/invitations/\(id)/accept", token: alice.token).errorCode == "own_invitation")
            let accepted = try await games.service.call(.post, "/games/invitations/\(id)/accept", token: bob.token)
            #expect(accepted.status == .ok)
            let invitation = try #require(accepted["invitation"] as? [String: Any])
            let match = try #require(accepted["match"] as? [String: Any])
            #expect(invitation["status"] as? String == "accepted")
            #expect(invitation["match_id"] as? String == match["id"] as? String)
            #expect((match["players"] as? [String: Any])?["left"] as? String == alice.id)
            #expect((match["players"] as? [String: Any])?["right"] as? String == bob.id)
            #expect(match["status"] as? String == "playing")

            let again = try await games.service.call(.post, "/games/invitations/\(id)/accept", token: bob.token)
            #expect(again.status == .conflict)
            #expect(again.errorCode == "invitation_closed")
            try await games.events.waitFor(1) { $0.type == GameEventType.matchStarted.rawValue }
            try await games.events.waitFor(1) { $0.type == GameEventType.invitationUpdated.rawValue }

            let overview = try await games.service.call(.get, "/rooms/\(room)/games", token: carol.token)
            #expect((overview["matches"] as? [[String: Any]])?.map { $0["id"] as? String } == [match["id"] as? String])
            #expect((overview["invitations"] as? [Any])?.isEmpty == true)
        }
    }

    @Test func anInvitationExpiresAfterFiveMinutes() async throws {
        try await withGames { games in
            let (alice, bob) = (try await games.user(), try await games.user())
            let room = try await games.room(alice, with: [bob])
            let id = try #require(try await games.invite(in: room, by: alice)["id"] as? String)
            // One open invitation per inviter and room.
            #expect(try await games.invite(in: room, by: alice).errorCode == "invitation_open")
            games.clock.advance(by: 301)
            #expect(try await games.service.call(.get, "/games/invitations/\(id)", token: bob.token)["status"] as? String == "expired")
            let late = try await games.service.call(.post, "/games/invitations/\(id)/accept", token: bob.token)
            #expect(late.status == .conflict)
            #expect(late.errorCode == "invitation_expired")
            #expect(try await games.invite(in: room, by: alice).status == .created)
        }
    }

    @Test func declinedAndCancelledInvitationsCannotBeAccepted() async throws {
        try await withGames { games in
            let (alice, bob) = (try await games.user(), try await games.user())
            let room = try await games.room(alice, with: [bob])
            let declined = try #require(try await games.invite(in: room, by: alice, invitee: bob)["id"] as? String)
            #expect(try await games.service.call(.post, "/games/invitations/\(declined)/decline", token: bob.token)["status"] as? String == "declined")
            #expect(try await games.service.call(.post, "/games/invitations/\(declined)/accept", token: bob.token).errorCode == "invitation_closed")
            let cancelled = try #require(try await games.invite(in: room, by: alice, invitee: bob)["id"] as? String)
            #expect(try await games.service.call(.post, "/games/invitations/\(cancelled)/decline", token: alice.token)["status"] as? String == "cancelled")
            #expect(try await games.service.call(.post, "/games/invitations/\(cancelled)/accept", token: bob.token).errorCode == "invitation_closed")
        }
    }

    @Test func outsidersSeeNothingAndBadInvitationsAreRefused() async throws {
        try await withGames { games in
            let (alice, bob, stranger) = (try await games.user(), try await games.user(), try await games.user())
            let room = try await games.room(alice, with: [bob])
            let id = try #require(try await games.invite(in: room, by: alice)["id"] as? String)
            #expect(try await games.service.call(.get, "/games/invitations/\(id)", token: stranger.token).status == .notFound)
            #expect(try await games.service.call(.post, "/games/invitations/\(id)/accept", token: stranger.token).status == .notFound)
            #expect(try await games.service.call(.get, "/rooms/\(room)/games", token: stranger.token).status == .notFound)
            #expect(try await games.service.call(.get, "/rooms/\(room)/games/leaderboard", token: stranger.token).status == .notFound)
            #expect(try await games.invite(in: room, by: stranger).status == .notFound)

            let chess = try await games.service.call(.post, "/rooms/\(room)/games", json: ["game": "chess"], token: bob.token)
            #expect(chess.status == .badRequest)
            #expect(chess.errorField == "game")
            let outsider = try await games.invite(in: room, by: bob, invitee: stranger)
            #expect(outsider.status == .badRequest)
            #expect(outsider.errorField == "invitee_id")
            #expect(try await games.invite(in: room, by: bob, invitee: bob).errorField == "invitee_id")
            #expect(try await games.service.call(.post, "/rooms/\(room)/games", json: [:], token: bob.token).errorField == "game")
        }
    }
}
