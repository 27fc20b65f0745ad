import NIOCore
import ServiceLifecycle

/// A small Redis client: a few pipelined connections used round-robin, reconnected lazily after a
/// failure, plus dedicated connections for pub/sub. Enough for presence, rate limits, revocations,
/// caches and the gateways' backplane; no Swift Redis client is available to depend on. With
/// `clusterNodes` set it talks to a Redis Cluster (`RedisCluster`): the keys of one command or
/// script call must then share a hash tag.
public final class RedisClient: Service, Sendable {
    let settings: RedisSettings
    private let pool: RedisConnectionPool
    /// Set for a Redis Cluster; commands then go through it, not `pool`.
    let cluster: RedisCluster?

    public init(settings: RedisSettings, connections: Int = 4) {
        let nodes = settings.clusterNodes.compactMap(RedisNode.init)
        var settings = settings
        if let first = nodes.first {
            // Subscriptions go to the first node: Redis Cluster delivers a message on any node.
            (settings.host, settings.port) = (first.host, first.port)
            cluster = RedisCluster(map: RedisClusterMap(settings: settings, seeds: nodes, connectionsPerNode: connections))
        } else {
            cluster = nil
        }
        self.settings = settings
        self.pool = RedisConnectionPool(settings: settings, size: connections)
    }

    /// `name` in this stack's namespace (`RedisSettings.namespace`): every pub/sub channel, and
    /// every key with a fixed name, goes through this.
    public func namespaced(_ name: String) -> String {
        settings.namespace + name
    }

    /// Runs one command; a Redis error reply is thrown as `RedisError`.
    @discardableResult
    public func send(_ command: String...) async throws -> RESPValue {
        try await send(command)
    }

    @discardableResult
    public func send(_ command: [String]) async throws -> RESPValue {
        let reply = try await pipeline([command])[0]
        if case .error(let message) = reply { throw RedisError(message: message) }
        return reply
    }

    /// Sends all commands in one round trip; replies come back in order, errors as `.error`.
    /// Calls of scripts Redis did not have (`RedisScript`) are sent again with the script's text,
    /// in their order.
    public func pipeline(_ commands: [[String]]) async throws -> [RESPValue] {
        guard !commands.isEmpty else { return [] }
        if let cluster { return try await cluster.pipeline(commands) }
        return try await pool.withConnection { try await Self.send(commands, on: $0) }
    }

    /// The commands in one round trip on `connection`, and those calling a script Redis did not
    /// have once more with the script's text.
    static func send(_ commands: [[String]], on connection: RedisConnection) async throws -> [RESPValue] {
        var replies = try await connection.send(batch: commands)
        let resends = replies.indices.compactMap { index in RedisScript.resend(after: replies[index], of: commands[index]).map { (index, $0) } }
        guard !resends.isEmpty else { return replies }
        let resent = try await connection.send(batch: resends.map(\.1))
        for ((index, _), reply) in zip(resends, resent) { replies[index] = reply }
        return replies
    }

    /// The values of `keys` (nil where there is none) in one round trip: a `GET` each, not one
    /// `MGET`, since on a cluster the keys need not share a slot.
    public func values(of keys: [String]) async throws -> [String?] {
        try await pipeline(keys.map { ["GET", $0] }).map { reply in
            if case .error(let message) = reply { throw RedisError(message: message) }
            return reply.string
        }
    }

    /// `pipeline`, for commands that must all succeed: an error reply to any of them is thrown.
    public func pipelineAll(_ commands: [[String]], or failure: String) async throws {
        let replies = try await pipeline(commands)
        if let error = replies.first(where: { if case .error = $0 { true } else { false } }) {
            throw RedisError(message: "\(failure): \(error)")
        }
    }

    /// Subscribes on a connection of its own; returns once Redis confirmed every channel, so a
    /// message published after this returns is delivered.
    public func subscribe(to channels: [String]) async throws -> RedisSubscription {
        let (stream, continuation) = AsyncStream<RESPValue>.makeStream()
        let connection = try await RedisConnection.connect(settings: settings, pushes: continuation)
        do {
            for channel in channels {
                let reply = try await connection.send(["SUBSCRIBE", channel])
                guard reply.array?.first?.string == "subscribe" else { throw RedisError(message: "unexpected reply to SUBSCRIBE") }
            }
        } catch {
            await connection.close()
            throw error
        }
        return RedisSubscription(connection: connection, pushes: stream)
    }

    /// Health probe: true when Redis answers PING.
    public func ping() async -> Bool {
        (try? await send("PING"))?.string == "PONG"
    }

    public func run() async throws {
        try? await gracefulShutdown()
        await pool.closeAll()
        await cluster?.map.closeAll()
    }
}

public struct RedisMessage: Sendable {
    public let channel: String
    public let payload: String
}

/// Messages of a subscription, until `close()` or the connection drops.
public struct RedisSubscription: Sendable {
    let connection: RedisConnection
    let pushes: AsyncStream<RESPValue>

    public var messages: AsyncCompactMapSequence<AsyncStream<RESPValue>, RedisMessage> {
        pushes.compactMap { value in
            guard let parts = value.array, parts.count == 3, parts[0].string == "message",
                let channel = parts[1].string, let payload = parts[2].string
            else { return nil }
            return RedisMessage(channel: channel, payload: payload)
        }
    }

    public func close() async {
        await connection.close()
    }
}

actor RedisConnectionPool {
    private let settings: RedisSettings
    private var slots: [Task<RedisConnection, any Error>?]
    private var next = 0

    init(settings: RedisSettings, size: Int) {
        self.settings = settings
        self.slots = Array(repeating: nil, count: max(1, size))
    }

    nonisolated func withConnection<T: Sendable>(_ body: (RedisConnection) async throws -> T) async throws -> T {
        let (slot, connection) = try await checkout()
        do {
            return try await body(connection)
        } catch {
            if !connection.isActive { await discard(slot: slot) }
            throw error
        }
    }

    private func checkout() async throws -> (Int, RedisConnection) {
        let slot = next
        next = (next + 1) % slots.count
        if let task = slots[slot], let connection = try? await task.value, connection.isActive {
            return (slot, connection)
        }
        let settings = self.settings
        let task = Task { try await RedisConnection.connect(settings: settings) }
        slots[slot] = task
        do {
            return (slot, try await task.value)
        } catch {
            slots[slot] = nil
            throw error
        }
    }

    private func discard(slot: Int) {
        slots[slot] = nil
    }

    func closeAll() async {
        for task in slots.compactMap({ $0 }) {
            await (try? task.value)?.close()
        }
        slots = slots.map { _ in nil }
    }
}
