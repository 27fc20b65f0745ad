import Configuration
import Foundation
import ServiceKit

/// Configuration for a service under test: its own fresh database on the test cluster, the test
/// Redis, an ephemeral HTTP port, and quiet logs.
public enum TestEnvironment {
    /// The service credential every service under test shares.
    public static let serviceToken = "test-service-token"
    /// `AUTH_ENCRYPTION_KEYS` of every auth under test: one key, `test`.
    public static let authEncryptionKeys = "test:" + Data(repeating: 7, count: 32).base64EncodedString()

    /// With `database` false (the gateway, which has none) no database is made.
    public static func serviceOverrides(_ extra: [String: String] = [:], database: Bool = true) async throws -> [String: String] {
        let redisPort = try await TestRedis.shared.start()
        var base = [
            "HTTP_HOST": "127.0.0.1",
            "HTTP_PORT": "0",
            "REDIS_PORT": String(redisPort),
            // Stacks share the test Redis: each has its own channels, so none hears another's events.
            "REDIS_NAMESPACE": "stack-\(UUID().uuidString.prefix(8)):",
            "LOG_LEVEL": "critical",
            "BCRYPT_COST": "4",
            "SERVICE_TOKEN": serviceToken,
            // Suites run in parallel, each with several services: small pools keep the shared
            // server under its connection limit.
            "POSTGRES_MAX_CONNECTIONS": "10",
            // Auth's key for secrets at rest.
            "AUTH_ENCRYPTION_KEYS": authEncryptionKeys,
            // Every test signs up and signs in from 127.0.0.1: auth's per-address limits are high
            // here (the tests of those limits set them low); per-account ones stay as in production.
            "REGISTER_RATE_LIMIT": "1000000",
            "LOGIN_ADDRESS_MAX_FAILURES": "1000000",
        ]
        if database {
            let (postgresPort, name) = try await TestPostgres.shared.createDatabase()
            base["POSTGRES_PORT"] = String(postgresPort)
            base["POSTGRES_DATABASE"] = name
        }
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
