import AuthAPI
import Foundation
import GamesAPI
import Hummingbird
import Logging
import PongRules
import RoomsAPI
import ServiceKit

/// What people do with games: invite a room (or one member) to play, accept or decline, play
/// (inputs), and look at a room's invitations, matches and leaderboard. Only members of a room see
/// its games: to anyone else they do not exist (404).
struct Games: Sendable {
    static let gameNames: Set<String> = ["pong"]

    let store: GameStore
    let outbox: Outbox
    let rooms: any RoomDirectory
    let users: any UserDirectory
    let host: MatchHost
    let clock: WallClock
    /// How long an invitation stays open.
    let invitationLifetime: TimeInterval

    // MARK: Invitations

    func invite(room: UUID, by user: UUID, game: String, invitee: UUID?) async throws -> GameInvitation {
        try await requireAccess(room, user, .post)
        guard Self.gameNames.contains(game) else { throw AppError.validation(field: "game", "game must be \"pong\"") }
        if let invitee {
            guard invitee != user else { throw AppError.validation(field: "invitee_id", "invite someone other than yourself") }
            guard let access = try await rooms.access(of: invitee, in: room), access.isMember else {
                throw AppError.validation(field: "invitee_id", "invitee_id must be a member of the room")
            }
        }
        let now = clock.now()
        let invitation = GameInvitation(
            id: UUID(), roomId: room, game: game, inviterId: user, inviteeId: invitee, status: "pending", createdAt: now,
            expiresAt: now.addingTimeInterval(invitationLifetime), respondedAt: nil, matchId: nil)
        let names = await MatchResults.names(of: [user] + (invitee.map { [$0] } ?? []), in: users)
        let inviter = names[user] ?? "Someone"
        let text = invitee.map { "\(inviter) invited \(names[$0] ?? "a member") to play Pong" } ?? "\(inviter) invited the room to play Pong"
        try await outbox.transaction { tx in
            try await tx.lock(stream: room.apiString)
            guard try await !store.hasOpenInvitation(by: user, in: room, now: now, on: tx.connection) else {
                throw AppError.conflict("you have an invitation open in this room already", code: "invitation_open")
            }
            try await store.insert(invitation, on: tx.connection)
            try await tx.emit(GameEventType.invited.rawValue, stream: room.apiString, data: GameInvited(roomId: room, invitation: invitation, text: text))
        }
        return invitation
    }

    func invitation(_ id: UUID, viewer: UUID) async throws -> GameInvitation {
        guard let invitation = try await store.invitation(id, on: store.db) else { throw AppError.notFound("invitation not found") }
        try await requireMember(invitation.roomId, viewer, notFound: "invitation not found")
        return shown(invitation)
    }

    /// Accepting starts the match: the inviter plays left, the one accepting right.
    func accept(_ id: UUID, by user: UUID) async throws -> (invitation: GameInvitation, match: GameMatch) {
        let invitation = try await self.invitation(id, viewer: user)
        try await requireAccess(invitation.roomId, user, .post)
        let seed = UInt64.random(in: .min ... .max)
        let accepted: (GameInvitation, GameMatch) = try await outbox.transaction { tx in
            try await tx.lock(stream: invitation.roomId.apiString)
            guard var invitation = try await store.lockInvitation(id, on: tx.connection) else { throw AppError.notFound("invitation not found") }
            try requireOpen(invitation, answeredBy: user)
            let players = [invitation.inviterId, user]
            guard try await !store.isPlaying(players, on: tx.connection) else {
                throw AppError.conflict("one of the players is in a match already", code: "already_playing")
            }
            let now = clock.now()
            let match = GameMatch(
                id: UUID(), roomId: invitation.roomId, game: invitation.game, invitationId: invitation.id,
                players: .init(left: invitation.inviterId, right: user), score: .init(left: 0, right: 0), status: "playing", winnerId: nil,
                startedAt: now, endedAt: nil)
            try await store.insert(match, seed: seed, on: tx.connection)
            try await store.respond(to: id, status: "accepted", at: now, matchID: match.id, on: tx.connection)
            (invitation.status, invitation.respondedAt, invitation.matchId) = ("accepted", now, match.id)
            let stream = invitation.roomId.apiString
            try await tx.emit(
                GameEventType.invitationUpdated.rawValue, stream: stream, data: GameInvitationUpdated(roomId: invitation.roomId, invitation: invitation))
            try await tx.emit(GameEventType.matchStarted.rawValue, stream: stream, data: GameMatchChanged(roomId: invitation.roomId, match: match))
            return (invitation, match)
        }
        host.start(accepted.1, seed: seed)
        return accepted
    }

    /// Declined by whoever could accept it, or cancelled by the inviter.
    func decline(_ id: UUID, by user: UUID) async throws -> GameInvitation {
        let invitation = try await self.invitation(id, viewer: user)
        return try await outbox.transaction { tx in
            try await tx.lock(stream: invitation.roomId.apiString)
            guard var invitation = try await store.lockInvitation(id, on: tx.connection) else { throw AppError.notFound("invitation not found") }
            if invitation.inviterId != user { try requireOpen(invitation, answeredBy: user) } else { try requireOpen(invitation) }
            let now = clock.now()
            let status = invitation.inviterId == user ? "cancelled" : "declined"
            try await store.respond(to: id, status: status, at: now, matchID: nil, on: tx.connection)
            (invitation.status, invitation.respondedAt) = (status, now)
            try await tx.emit(
                GameEventType.invitationUpdated.rawValue, stream: invitation.roomId.apiString,
                data: GameInvitationUpdated(roomId: invitation.roomId, invitation: invitation))
            return invitation
        }
    }

    /// A pending invitation past its time reads as expired.
    private func shown(_ invitation: GameInvitation) -> GameInvitation {
        var shown = invitation
        if shown.status == "pending", shown.expiresAt <= clock.now() { shown.status = "expired" }
        return shown
    }

    private func requireOpen(_ invitation: GameInvitation) throws {
        switch shown(invitation).status {
        case "pending": return
        case "expired": throw AppError.conflict("the invitation has expired", code: "invitation_expired")
        default: throw AppError.conflict("the invitation was answered already", code: "invitation_closed")
        }
    }

    private func requireOpen(_ invitation: GameInvitation, answeredBy user: UUID) throws {
        guard invitation.inviterId != user else {
            throw AppError.forbidden("you cannot answer your own invitation", code: "own_invitation")
        }
        guard invitation.inviteeId == nil || invitation.inviteeId == user else {
            throw AppError.forbidden("the invitation is for someone else", code: "not_invited")
        }
        try requireOpen(invitation)
    }

    // MARK: Matches

    func match(_ id: UUID, viewer: UUID) async throws -> GameMatch {
        guard var match = try await store.match(id)?.match else { throw AppError.notFound("match not found") }
        try await requireMember(match.roomId, viewer, notFound: "match not found")
        if let live = host.match(id) {
            let score = live.score
            match.score = .init(left: score.left, right: score.right)
        }
        return match
    }

    /// A player's paddle input (or its repeat). Refused to anyone but the match's two players.
    func input(_ direction: String, sequence: Int, match id: UUID, from user: UUID) async throws -> InputAccepted {
        guard let paddle = PaddleInput(name: direction) else {
            throw AppError.validation(field: "direction", "direction must be up, down or none")
        }
        guard let live = host.match(id) else {
            _ = try await match(id, viewer: user)
            throw AppError.conflict("the match is over", code: "match_over")
        }
        guard let side = live.side(of: user) else {
            try await requireMember(live.record.roomId, user, notFound: "match not found")
            throw AppError.forbidden("only the match's players send inputs", code: "not_a_player")
        }
        let tick = live.input(paddle, sequence: sequence, from: side, at: clock.now())
        return InputAccepted(matchId: id.apiString, side: side.rawValue, tick: tick)
    }

    // MARK: Rooms

    func overview(of room: UUID, viewer: UUID) async throws -> RoomGames {
        try await requireMember(room, viewer, notFound: "room not found")
        async let invitations = store.openInvitations(in: room, now: clock.now())
        async let matches = store.playingMatches(in: room)
        return RoomGames(invitations: try await invitations, matches: try await matches)
    }

    func leaderboard(of room: UUID, viewer: UUID) async throws -> Leaderboard {
        try await requireMember(room, viewer, notFound: "room not found")
        return Leaderboard(roomId: room.apiString, game: "pong", leaders: try await store.leaderboard(of: room, limit: 20))
    }

    // MARK: Access

    private func requireMember(_ room: UUID, _ user: UUID, notFound: String) async throws {
        guard let access = try await rooms.access(of: user, in: room), access.isMember else { throw AppError.notFound(notFound) }
    }

    private func requireAccess(_ room: UUID, _ user: UUID, _ action: RoomAction) async throws {
        guard let access = try await rooms.access(of: user, in: room), access.isMember else { throw AppError.notFound("room not found") }
        try access.require(action)
    }
}

/// `POST /games/matches/:id/input`'s answer: the side the caller plays and the tick from which
/// the input applies.
struct InputAccepted: ResponseEncodable, Sendable {
    let matchId: String
    let side: String
    let tick: Int
}

/// `GET /rooms/:id/games`: the room's open invitations and the matches being played in it.
struct RoomGames: ResponseEncodable, Sendable {
    let invitations: [GameInvitation]
    let matches: [GameMatch]
}

/// `GET /rooms/:id/games/leaderboard`.
struct Leaderboard: ResponseEncodable, Sendable {
    let roomId: String
    let game: String
    let leaders: [LeaderboardEntry]
}
