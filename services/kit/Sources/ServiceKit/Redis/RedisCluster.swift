/// Redis Cluster's key slots: the slot (of 16,384) a key lives in is the CRC16 of the key, or of
/// its hash tag (the text between the first `{` and the next `}`, when not empty). The keys of one
/// script call or one multi-key command must share a slot, so those keys carry the same tag
/// (`{room-id}`, `{user-id}`).
enum RedisKeySlot {
    static let count = 16384

    static func of(_ key: String) -> Int {
        var bytes = Array(key.utf8)
        if let open = bytes.firstIndex(of: UInt8(ascii: "{")),
            let close = bytes[(open + 1)...].firstIndex(of: UInt8(ascii: "}")), close > open + 1
        {
            bytes = Array(bytes[(open + 1)..<close])
        }
        return Int(crc16(bytes)) % count
    }

    /// The key that decides which node runs `command`; nil for a command without keys (`PING`,
    /// `PUBLISH`, a script called without keys), which any node runs.
    static func key(of command: [String]) -> String? {
        switch command.first?.uppercased() {
        case "EVAL", "EVALSHA":
            guard command.count > 3, let keys = Int(command[2]), keys > 0 else { return nil }
            return command[3]
        case "PING", "PUBLISH", "SCRIPT", "INFO", "CLUSTER", "AUTH", "ASKING", nil:
            return nil
        default:
            return command.count > 1 ? command[1] : nil
        }
    }

    /// CRC-16/XMODEM (polynomial 0x1021, initial value 0), the one Redis Cluster uses.
    static func crc16(_ bytes: [UInt8]) -> UInt16 {
        var crc: UInt16 = 0
        for byte in bytes {
            crc ^= UInt16(byte) << 8
            for _ in 0..<8 {
                crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1
            }
        }
        return crc
    }
}

/// A node of the cluster, as `host:port`.
struct RedisNode: Hashable, Sendable {
    let host: String
    let port: Int

    init(host: String, port: Int) {
        self.host = host
        self.port = port
    }

    /// `host:port`; nil when it is not that.
    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), colon > text.startIndex else { return nil }
        self.init(host: String(text[..<colon]), port: port)
    }
}

/// Which node serves each slot, learned from `CLUSTER SLOTS` (asked of the nodes configured, then
/// of any node known) and learned again when a node answers `MOVED`; a small connection pool per
/// node.
actor RedisClusterMap {
    private let settings: RedisSettings
    private let connectionsPerNode: Int
    private let seeds: [RedisNode]
    private var owners: [RedisNode?] = Array(repeating: nil, count: RedisKeySlot.count)
    private var pools: [RedisNode: RedisConnectionPool] = [:]
    private var learned = false

    init(settings: RedisSettings, seeds: [RedisNode], connectionsPerNode: Int) {
        self.settings = settings
        self.seeds = seeds
        self.connectionsPerNode = connectionsPerNode
    }

    /// The node serving `slot` (any node for nil); the map is learned on first use.
    func node(for slot: Int?) async throws -> RedisNode {
        try await nodes(for: [slot])[0]
    }

    /// The node serving each of `slots`, in one visit to the map.
    func nodes(for slots: [Int?]) async throws -> [RedisNode] {
        if !learned { try await relearn() }
        return slots.map { slot in slot.flatMap { owners[$0] } ?? seeds[0] }
    }

    func pool(at node: RedisNode) -> RedisConnectionPool {
        if let pool = pools[node] { return pool }
        var nodeSettings = settings
        nodeSettings.host = node.host
        nodeSettings.port = node.port
        let pool = RedisConnectionPool(settings: nodeSettings, size: connectionsPerNode)
        pools[node] = pool
        return pool
    }

    /// Asks the nodes, the configured ones first, for the slot map until one answers.
    func relearn() async throws {
        var lastError: any Error = RedisError(message: "no cluster node configured", isConnectionFailure: true)
        for node in seeds + pools.keys.filter({ !seeds.contains($0) }) {
            do {
                let reply = try await pool(at: node).withConnection { try await $0.send(["CLUSTER", "SLOTS"]) }
                if case .error(let message) = reply { throw RedisError(message: "CLUSTER SLOTS: \(message)") }
                var owners = [RedisNode?](repeating: nil, count: RedisKeySlot.count)
                for range in reply.array ?? [] {
                    guard let parts = range.array, parts.count >= 3, let first = parts[0].int, let last = parts[1].int,
                        let primary = parts[2].array, primary.count >= 2, let port = primary[1].int, first >= 0, last < RedisKeySlot.count,
                        first <= last
                    else { continue }
                    // An empty host means the node that answered.
                    let host = primary[0].string.flatMap { $0.isEmpty ? nil : $0 } ?? node.host
                    for slot in first...last { owners[slot] = RedisNode(host: host, port: port) }
                }
                self.owners = owners
                learned = true
                return
            } catch {
                lastError = error
            }
        }
        throw lastError
    }

    /// A node said `MOVED slot host:port`: that slot is served there now.
    func learn(slot: Int, servedBy node: RedisNode) {
        owners[slot] = node
    }

    func closeAll() async {
        for pool in pools.values { await pool.closeAll() }
    }
}

/// Commands to a cluster: each goes to the node of its key's slot, those for one node in one
/// round trip, the nodes at once; a reply `MOVED` (the slot has moved) updates the map and sends
/// the command again, `ASK` (the slot is moving) sends it to the node named, once, after `ASKING`.
struct RedisCluster: Sendable {
    let map: RedisClusterMap
    /// Redirects followed for one command before its error reply is returned.
    static let maxRedirects = 5

    func pipeline(_ commands: [[String]]) async throws -> [RESPValue] {
        var replies = [RESPValue](repeating: .error("not sent"), count: commands.count)
        var pending = Array(commands.indices)
        for _ in 0...Self.maxRedirects where !pending.isEmpty {
            let nodes = try await map.nodes(for: pending.map { RedisKeySlot.key(of: commands[$0]).map(RedisKeySlot.of) })
            var byNode: [RedisNode: [Int]] = [:]
            for (index, node) in zip(pending, nodes) { byNode[node, default: []].append(index) }
            var answered: [(Int, RESPValue)] = []
            try await withThrowingTaskGroup(of: [(Int, RESPValue)].self) { group in
                for (node, indices) in byNode {
                    let pool = await map.pool(at: node)
                    group.addTask { [map] in
                        do {
                            let sent = try await pool.withConnection { try await RedisClient.send(indices.map { commands[$0] }, on: $0) }
                            return Array(zip(indices, sent))
                        } catch let error as RedisError where error.isConnectionFailure {
                            // The node may be gone for good (a replica took over its slots): the
                            // next command goes by the map the others have now.
                            try? await map.relearn()
                            throw error
                        }
                    }
                }
                for try await replies in group { answered += replies }
            }
            pending = []
            for (index, reply) in answered {
                replies[index] = reply
                guard case .error(let message) = reply else { continue }
                let words = message.split(separator: " ")
                guard words.count == 3, let slot = Int(words[1]), let node = RedisNode(String(words[2])) else { continue }
                if words[0] == "MOVED" {
                    await map.learn(slot: slot, servedBy: node)
                    pending.append(index)
                } else if words[0] == "ASK" {
                    let asked = try await map.pool(at: node).withConnection { try await RedisClient.send([["ASKING"], commands[index]], on: $0) }
                    replies[index] = asked[1]
                }
            }
        }
        return replies
    }
}
