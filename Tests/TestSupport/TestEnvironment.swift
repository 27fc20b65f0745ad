import Configuration
import Foundation
import ServiceKit

/// Configuration for a service under test: its own fresh database on the test cluster, the test
/// Redis, an ephemeral HTTP port, and quiet logs.
public enum TestEnvironment {
    /// The service credential every service under test shares.
    public static let serviceToken = "test-service-token"

    public static func serviceOverrides(_ extra: [String: String] = [:]) async throws -> [String: String] {
        let (postgresPort, database) = try await TestPostgres.shared.createDatabase()
        let redisPort = try await TestRedis.shared.start()
        let base = [
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": "0",
            "POSTGRES_PORT": String(postgresPort),
            "POSTGRES_DATABASE": database,
            "REDIS_PORT": String(redisPort),
            "LOG_LEVEL": "critical",
            "BCRYPT_COST": "4",
            "SERVICE_TOKEN": serviceToken,
            // Suites run in parallel, each with several services: small pools keep the shared
            // server under its connection limit.
            "POSTGRES_MAX_CONNECTIONS": "10",
        ]
        return base.merging(extra) { $1 }
    }

    public static func reader(_ overrides: [String: String]) -> ConfigReader {
        ServiceConfig.reader(overrides: overrides)
    }

    public static func redisSettings() async throws -> RedisSettings {
        RedisSettings(host: "127.0.0.1", port: try await TestRedis.shared.start(), password: nil)
    }
}

extension TestEnvironment {
    /// A TCP port nothing listens on right now: for a service a test starts later, or never.
    public static func freePort() throws -> Int {
        try ProcessRunner.freePort()
    }
}
