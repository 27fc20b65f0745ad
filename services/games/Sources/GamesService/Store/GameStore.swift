import Foundation
import GamesAPI
import Logging
import PostgresNIO
import ServiceKit

/// The `invitations` and `matches` tables.
struct GameStore: Sendable {
    let db: PostgresClient
    let logger: Logger

    private static let invitationColumns = "id, room_id, game, inviter_id, invitee_id, status, created_at, expires_at, responded_at, match_id"
    private typealias InvitationRow = (UUID, UUID, String, UUID, UUID?, String, Date, Date, Date?, UUID?)
    private static let matchColumns =
        "id, room_id, game, invitation_id, left_id, right_id, seed, status, left_score, right_score, winner_id, started_at, ended_at"
    private typealias MatchRow = (UUID, UUID, String, UUID, UUID, UUID, Int64, String, Int, Int, UUID?, Date, Date?)

    // MARK: Invitations

    func insert(_ invitation: GameInvitation, on db: some PostgresQueryable) async throws {
        _ = try await db.run(
            """
            INSERT INTO invitations (id, room_id, game, inviter_id, invitee_id, status, created_at, expires_at)
            VALUES (\(invitation.id), \(invitation.roomId), \(invitation.game), \(invitation.inviterId), \(invitation.inviteeId),
                    \(invitation.status), \(invitation.createdAt), \(invitation.expiresAt))
            """, logger: logger)
    }

    /// The invitation as stored (a pending one past its time still says `pending`; `Invitations`
    /// tells it as expired).
    func invitation(_ id: UUID, on db: some PostgresQueryable) async throws -> GameInvitation? {
        try await invitations(db.run("SELECT \(unescaped: Self.invitationColumns) FROM invitations WHERE id = \(id)", logger: logger)).first
    }

    /// The invitation, locked until the transaction ends.
    func lockInvitation(_ id: UUID, on connection: PostgresConnection) async throws -> GameInvitation? {
        try await invitations(connection.run(
            "SELECT \(unescaped: Self.invitationColumns) FROM invitations WHERE id = \(id) FOR UPDATE", logger: logger)).first
    }

    /// The room's invitations still open at `now`, oldest first.
    func openInvitations(in room: UUID, now: Date) async throws -> [GameInvitation] {
        try await invitations(db.run(
            """
            SELECT \(unescaped: Self.invitationColumns) FROM invitations
            WHERE room_id = \(room) AND status = 'pending' AND expires_at > \(now) ORDER BY created_at LIMIT 100
            """, logger: logger))
    }

    /// Whether `inviter` has an invitation open in the room at `now`.
    func hasOpenInvitation(by inviter: UUID, in room: UUID, now: Date, on db: some PostgresQueryable) async throws -> Bool {
        try await db.run(
            """
            SELECT 1 FROM invitations WHERE room_id = \(room) AND inviter_id = \(inviter) AND status = 'pending' AND expires_at > \(now)
            """, logger: logger).hasRows()
    }

    func respond(to id: UUID, status: String, at date: Date, matchID: UUID?, on connection: PostgresConnection) async throws {
        _ = try await connection.run(
            "UPDATE invitations SET status = \(status), responded_at = \(date), match_id = \(matchID) WHERE id = \(id)", logger: logger)
    }

    private func invitations(_ rows: PostgresRowSequence) async throws -> [GameInvitation] {
        var found: [GameInvitation] = []
        for try await r in rows.decode(InvitationRow.self) {
            found.append(GameInvitation(
                id: r.0, roomId: r.1, game: r.2, inviterId: r.3, inviteeId: r.4, status: r.5, createdAt: r.6, expiresAt: r.7,
                respondedAt: r.8, matchId: r.9))
        }
        return found
    }

    // MARK: Matches

    func insert(_ match: GameMatch, seed: UInt64, on connection: PostgresConnection) async throws {
        _ = try await connection.run(
            """
            INSERT INTO matches (id, room_id, game, invitation_id, left_id, right_id, seed, status, started_at)
            VALUES (\(match.id), \(match.roomId), \(match.game), \(match.invitationId), \(match.players.left), \(match.players.right),
                    \(Int64(bitPattern: seed)), \(match.status), \(match.startedAt))
            """, logger: logger)
    }

    func match(_ id: UUID) async throws -> (match: GameMatch, seed: UInt64)? {
        try await matches(db.run("SELECT \(unescaped: Self.matchColumns) FROM matches WHERE id = \(id)", logger: logger)).first
    }

    /// The room's matches being played.
    func playingMatches(in room: UUID) async throws -> [GameMatch] {
        try await matches(db.run(
            "SELECT \(unescaped: Self.matchColumns) FROM matches WHERE room_id = \(room) AND status = 'playing' ORDER BY started_at",
            logger: logger)).map(\.match)
    }

    /// Whether any of `users` plays a match now.
    func isPlaying(_ users: [UUID], on connection: PostgresConnection) async throws -> Bool {
        try await connection.run(
            "SELECT 1 FROM matches WHERE status = 'playing' AND (left_id = ANY(\(users)) OR right_id = ANY(\(users)))",
            logger: logger).hasRows()
    }

    /// Writes the result of a match still playing; false when it was no longer playing.
    func finish(_ match: GameMatch, on connection: PostgresConnection) async throws -> Bool {
        try await connection.run(
            """
            UPDATE matches SET status = \(match.status), left_score = \(match.score.left), right_score = \(match.score.right),
                               winner_id = \(match.winnerId), ended_at = \(match.endedAt)
            WHERE id = \(match.id) AND status = 'playing' RETURNING 1
            """, logger: logger).hasRows()
    }

    /// Matches left playing by an instance that stopped: they cannot go on (a match lives in the
    /// memory of the instance that started it).
    func playingMatches() async throws -> [GameMatch] {
        try await matches(db.run(
            "SELECT \(unescaped: Self.matchColumns) FROM matches WHERE status = 'playing'", logger: logger)).map(\.match)
    }

    private func matches(_ rows: PostgresRowSequence) async throws -> [(match: GameMatch, seed: UInt64)] {
        var found: [(GameMatch, UInt64)] = []
        for try await r in rows.decode(MatchRow.self) {
            found.append((GameMatch(
                id: r.0, roomId: r.1, game: r.2, invitationId: r.3, players: .init(left: r.4, right: r.5), score: .init(left: r.8, right: r.9),
                status: r.7, winnerId: r.10, startedAt: r.11, endedAt: r.12), UInt64(bitPattern: r.6)))
        }
        return found
    }

    // MARK: Leaderboard

    /// The room's players by wins (then fewer losses), from its finished matches (abandoned ones
    /// count for nobody).
    func leaderboard(of room: UUID, limit: Int) async throws -> [LeaderboardEntry] {
        let rows = try await db.query(
            """
            SELECT player, count(*) FILTER (WHERE winner_id = player)::int AS wins, count(*) FILTER (WHERE winner_id <> player)::int AS losses
            FROM (SELECT left_id AS player, winner_id FROM matches WHERE room_id = \(room) AND status IN ('won', 'forfeited')
                  UNION ALL
                  SELECT right_id, winner_id FROM matches WHERE room_id = \(room) AND status IN ('won', 'forfeited')) AS played
            GROUP BY player ORDER BY wins DESC, losses ASC, player LIMIT \(limit)
            """, logger: logger)
        var entries: [LeaderboardEntry] = []
        for try await (player, wins, losses) in rows.decode((UUID, Int, Int).self) {
            entries.append(LeaderboardEntry(userId: player, wins: wins, losses: losses))
        }
        return entries
    }
}

/// One line of a room's leaderboard.
struct LeaderboardEntry: Encodable, Sendable, Equatable {
    let userId: UUID
    let wins: Int
    let losses: Int

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(userId.apiString, forKey: .userId)
        try container.encode(wins, forKey: .wins)
        try container.encode(losses, forKey: .losses)
        try container.encode(wins + losses, forKey: .played)
    }

    enum CodingKeys: String, CodingKey { case userId, wins, losses, played }
}
