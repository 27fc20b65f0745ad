import Foundation
import ServiceKit

/// A private three-node Redis Cluster (no replicas) for this test process, started on first use:
/// three redis-servers in cluster mode, joined by `redis-cli --cluster create`, each slot served.
public struct TestRedisCluster: Sendable {
    public static let shared = TestRedisCluster()

    private let cluster = StartedOnce<[Int]>()

    /// Its nodes' ports.
    public func start() async throws -> [Int] {
        try await cluster.value(Self.launch)
    }

    /// `REDIS_CLUSTER_NODES` for a service, naming every node.
    public func nodesSetting() async throws -> String {
        try await start().map { "127.0.0.1:\($0)" }.joined(separator: ",")
    }

    private static func launch() async throws -> [Int] {
        var ports: [Int] = []
        for _ in 0..<3 {
            // The bus port named, not Redis's default (the node's port + 10,000), which could be a
            // port handed out to someone else.
            ports.append(try await TestRedis.startPrivate([
                "--cluster-enabled", "yes", "--cluster-config-file", "nodes.conf", "--cluster-port", String(try ProcessRunner.freePort()),
            ]))
        }
        let cli = try ProcessRunner.findExecutable("redis-cli", in: ["/usr/bin", "/usr/local/bin"])
        _ = try ProcessRunner.run([cli, "--cluster", "create"] + ports.map { "127.0.0.1:\($0)" } + ["--cluster-replicas", "0", "--cluster-yes"])
        // Every node must know every slot's owner before a client may rely on any of them.
        for port in ports {
            let node = RedisClient(settings: RedisSettings(host: "127.0.0.1", port: port, password: nil), connections: 1)
            try await eventually(seconds: 60, "the Redis cluster on \(ports) did not come up") {
                (try? await node.send("CLUSTER", "INFO").string)?.contains("cluster_state:ok") == true
            }
        }
        return ports
    }
}
