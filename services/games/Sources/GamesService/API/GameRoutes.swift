import Foundation
import Hummingbird
import GamesAPI
import ServiceKit

/// The games API (services/games/openapi.yaml): a room's games under `/rooms/:id/games`, an
/// invitation or match by its id under `/games`.
struct GameRoutes {
    let games: Games

    struct InviteRequest: Decodable {
        let game: String
        let inviteeId: UUID?
    }

    struct InputRequest: Decodable {
        let direction: String
        /// The client's number for the input, echoed in the state frames.
        let seq: Int?
    }

    struct Accepted: ResponseEncodable {
        let invitation: GameInvitation
        let match: GameMatch
    }

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.post("/rooms/:id/games") { request, context -> Response in
            let body = try await request.decode(as: InviteRequest.self, context: context)
            let invitation = try await games.invite(
                room: try context.parameters.requireID("id"), by: try context.requireIdentity().userID, game: body.game, invitee: body.inviteeId)
            return try APIResponseEncoder.response(invitation, status: .created)
        }
        group.get("/rooms/:id/games") { _, context -> RoomGames in
            try await games.overview(of: try context.parameters.requireID("id"), viewer: try context.requireIdentity().userID)
        }
        group.get("/rooms/:id/games/leaderboard") { _, context -> Leaderboard in
            try await games.leaderboard(of: try context.parameters.requireID("id"), viewer: try context.requireIdentity().userID)
        }
        group.get("/games/invitations/:id") { _, context -> GameInvitation in
            try await games.invitation(try context.parameters.requireID("id"), viewer: try context.requireIdentity().userID)
        }
        group.post("/games/invitations/:id/accept") { _, context -> Accepted in
            let accepted = try await games.accept(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return Accepted(invitation: accepted.invitation, match: accepted.match)
        }
        group.post("/games/invitations/:id/decline") { _, context -> GameInvitation in
            try await games.decline(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
        }
        group.get("/games/matches/:id") { _, context -> GameMatch in
            try await games.match(try context.parameters.requireID("id"), viewer: try context.requireIdentity().userID)
        }
        group.post("/games/matches/:id/input") { request, context -> InputAccepted in
            let body = try await request.decode(as: InputRequest.self, context: context)
            return try await games.input(
                body.direction, sequence: body.seq ?? 0, match: try context.parameters.requireID("id"), from: try context.requireIdentity().userID)
        }
    }
}

extension GameInvitation: ResponseEncodable {}
extension GameMatch: ResponseEncodable {}
