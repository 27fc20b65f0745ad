import Foundation
import Logging
import RoomsAPI
import ServiceKit

/// Who is online, shared by every gateway instance through Redis: each user's live sessions in a
/// sorted set scored by when each lapses (refreshed by `SessionHeartbeat`, so sessions of a
/// gateway that died lapse within `ttlSeconds`), and a hash with the status they chose, the room
/// they look at and when they were last active. `presence_updated` goes to the user's own
/// sessions and to everyone who shares a room with them when what others see changes.
struct Presence: Sendable {
    let redis: RedisClient
    let publisher: SignalPublisher
    let rooms: any RoomDirectory
    let ttlSeconds: Int
    let clock: WallClock
    let logger: Logger

    // The user in braces: a user's keys share one Redis Cluster slot, as the scripts need.
    static func sessionsKey(_ user: UUID) -> String { "presence:sessions:{\(user.apiString)}" }
    static func stateKey(_ user: UUID) -> String { "presence:state:{\(user.apiString)}" }

    /// What others see: `offline` without a live connection, otherwise what the user chose (a
    /// user who chose `offline` appears offline).
    static func visibleStatus(chosen: String, online: Bool) -> String {
        online && ["online", "away", "busy"].contains(chosen) ? chosen : "offline"
    }

    /// A session opened. The user's first live one makes them appear as they chose.
    func connected(user: UUID, session: String, chosenStatus: String, rooms: Set<UUID>) async {
        let now = clock.now().timeIntervalSince1970
        do {
            let reply = try await redis.send([
                "EVALSHA", Self.addSession.sha1, "2", Self.sessionsKey(user), Self.stateKey(user),
                String(now), String(now + Double(ttlSeconds)), session, chosenStatus, String(ttlSeconds),
            ])
            if reply.int == 0 { await announce(user, status: Self.visibleStatus(chosen: chosenStatus, online: true), rooms: rooms) }
        } catch {
            logger.warning("could not record presence", metadata: ["error": "\(error)"])
        }
    }

    /// A session closed. The user's last live one makes them appear offline.
    func disconnected(user: UUID, session: String, rooms: Set<UUID>) async {
        do {
            let reply = try await redis.send([
                "EVALSHA", Self.removeSession.sha1, "2", Self.sessionsKey(user), Self.stateKey(user),
                String(clock.now().timeIntervalSince1970), session,
            ])
            if reply.int == 1 { await announce(user, status: "offline", rooms: rooms) }
        } catch {
            logger.warning("could not record presence", metadata: ["error": "\(error)"])
        }
    }

    /// Keeps this instance's sessions (all open) alive for another `ttlSeconds`, adding back any
    /// that lapsed in between.
    func refresh(_ sessions: [(sessionID: String, userID: UUID)]) async throws {
        guard !sessions.isEmpty else { return }
        let now = clock.now().timeIntervalSince1970
        let expiry = String(now + Double(ttlSeconds))
        try await redis.pipelineAll(sessions.flatMap { session in
            [
                ["ZADD", Self.sessionsKey(session.userID), expiry, session.sessionID],
                ["EXPIRE", Self.sessionsKey(session.userID), String(ttlSeconds)],
                ["HSET", Self.stateKey(session.userID), "last_active_at", String(now)],
                ["EXPIRE", Self.stateKey(session.userID), String(ttlSeconds)],
            ]
        }, or: "presence refresh")
    }

    /// The user chose a status (auth's `user_updated`): others see it at once if they are online.
    /// `rooms` are the user's.
    func statusChosen(user: UUID, status: String, rooms: Set<UUID>) async throws {
        let reply = try await redis.send([
            "EVALSHA", Self.setStatus.sha1, "2", Self.sessionsKey(user), Self.stateKey(user),
            String(clock.now().timeIntervalSince1970), status, String(ttlSeconds),
        ])
        guard let previous = reply.string else { return }
        let before = Self.visibleStatus(chosen: previous, online: true)
        let after = Self.visibleStatus(chosen: status, online: true)
        if before != after { await announce(user, status: after, rooms: rooms) }
    }

    /// What the members of a room appear as now (`get_presence`): a client opening a room learns
    /// who is online at once, and follows the changes through `presence_updated`. Nil when there is
    /// no such room.
    func snapshot(ofRoom room: UUID) async throws -> [UUID: String]? {
        guard let roster = try await rooms.roster(of: room) else { return nil }
        let members = roster.members.map(\.userID)
        let now = String(clock.now().timeIntervalSince1970)
        let replies = try await redis.pipeline(members.flatMap { member in
            [["ZCOUNT", Self.sessionsKey(member), "(" + now, "+inf"], ["HGET", Self.stateKey(member), "status"]]
        })
        var statuses: [UUID: String] = [:]
        for (index, member) in members.enumerated() {
            let online = (replies[2 * index].int ?? 0) > 0
            statuses[member] = Self.visibleStatus(chosen: replies[2 * index + 1].string ?? "online", online: online)
        }
        return statuses
    }

    /// A user changed their profile (auth's `user_updated`): their sessions and everyone who shares
    /// a room with them (`rooms` are the user's) get `user_updated {user}`, so a new name or avatar
    /// shows at once.
    func profileChanged(user: UUID, profile: JSONValue, rooms: Set<UUID>) async throws {
        let frame = ServerFrame(type: "user_updated", data: .object(["user": profile]), ref: nil)
        try await publisher.publish(RealtimeSignal(frame: frame.text(), rooms: Array(rooms), users: [user]))
    }

    /// The room the user is looking at (`join_room`), or none.
    func lookingAt(user: UUID, room: UUID?) async {
        let command = room.map { ["HSET", Self.stateKey(user), "current_room", $0.apiString] } ?? ["HDEL", Self.stateKey(user), "current_room"]
        _ = try? await redis.send(command)
    }

    private func announce(_ user: UUID, status: String, rooms: Set<UUID>) async {
        let frame = ServerFrame(
            type: "presence_updated", data: .object(["user_id": .string(user.apiString), "status": .string(status)]), ref: nil)
        do {
            try await publisher.publish(RealtimeSignal(frame: frame.text(), rooms: Array(rooms), users: [user]))
        } catch {
            logger.warning("could not publish presence", metadata: ["error": "\(error)"])
        }
    }

    /// Drops lapsed sessions, adds this one, records the chosen status; returns how many live
    /// sessions there were before.
    static let addSession = RedisScript("""
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        local before = redis.call('ZCARD', KEYS[1])
        redis.call('ZADD', KEYS[1], ARGV[2], ARGV[3])
        redis.call('EXPIRE', KEYS[1], ARGV[5])
        redis.call('HSET', KEYS[2], 'status', ARGV[4], 'last_active_at', ARGV[1])
        redis.call('EXPIRE', KEYS[2], ARGV[5])
        return before
        """)

    /// Removes the session; 1 when it was the user's last live one.
    static let removeSession = RedisScript("""
        local removed = redis.call('ZREM', KEYS[1], ARGV[2])
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        if removed == 1 and redis.call('ZCARD', KEYS[1]) == 0 then
            redis.call('HDEL', KEYS[2], 'current_room')
            return 1
        end
        return 0
        """)

    /// Records a newly chosen status; returns the previous one when the user is online (nil
    /// otherwise: nobody sees a change until they connect).
    static let setStatus = RedisScript("""
        redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[1])
        local online = redis.call('ZCARD', KEYS[1]) > 0
        local previous = redis.call('HGET', KEYS[2], 'status') or 'online'
        if not online then return false end
        redis.call('HSET', KEYS[2], 'status', ARGV[2])
        redis.call('EXPIRE', KEYS[2], ARGV[3])
        return previous
        """)
}
