import Configuration
import Foundation
import Logging

/// Settings every service reads, from environment variables (`HTTP_PORT` is key `http.port`).
/// Defaults match the local stack in `compose/`, so a service started by hand just works.
public struct ServiceConfig: Sendable {
    public var serviceName: String
    public var httpHost: String
    public var httpPort: Int
    public var logLevel: Logger.Level
    /// Largest request body a service accepts; bigger ones get 413 before they are read.
    public var maxBodyBytes: Int
    public var postgres: PostgresSettings
    public var redis: RedisSettings
    /// Base URL of the auth service: JWKS for token verification.
    public var authURL: String
    public var jwtIssuer: String
    public var jwtAudience: String
    /// Shared credential that guards `/internal/*` between services.
    public var serviceToken: String
    /// Who receives this service's events (`EVENT_SUBSCRIBERS`, `name=url` pairs, comma-separated).
    public var eventSubscriberEntries: [String]

    public init(serviceName: String, defaultPort: Int, reader: ConfigReader) {
        self.serviceName = serviceName
        self.httpHost = reader.string(forKey: "http.host", default: "127.0.0.1")
        self.httpPort = reader.int(forKey: "http.port", default: defaultPort)
        self.logLevel = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info")) ?? .info
        self.maxBodyBytes = reader.int(forKey: "max.body.bytes", default: 1 << 20)
        self.postgres = PostgresSettings(
            host: reader.string(forKey: "postgres.host", default: "127.0.0.1"),
            port: reader.int(forKey: "postgres.port", default: 55432),
            user: reader.string(forKey: "postgres.user", default: "parley"),
            password: reader.string(forKey: "postgres.password", isSecret: true),
            database: reader.string(forKey: "postgres.database", default: "parley"),
            schema: reader.string(forKey: "postgres.schema", default: serviceName),
            maxConnections: reader.int(forKey: "postgres.max.connections", default: 20)
        )
        self.redis = RedisSettings(
            host: reader.string(forKey: "redis.host", default: "127.0.0.1"),
            port: reader.int(forKey: "redis.port", default: 56379),
            password: reader.string(forKey: "redis.password", isSecret: true)
        )
        self.authURL = reader.string(forKey: "auth.url", default: "http://127.0.0.1:8081")
        self.jwtIssuer = reader.string(forKey: "jwt.issuer", default: "parley-auth")
        self.jwtAudience = reader.string(forKey: "jwt.audience", default: "parley")
        self.serviceToken = reader.string(forKey: "service.token", isSecret: true, default: "parley-local-service-token")
        self.eventSubscriberEntries = reader.stringArray(forKey: "event.subscribers", default: [])
    }

    /// The parsed `EVENT_SUBSCRIBERS`; a malformed entry stops startup.
    public func eventSubscribers() throws -> [EventSubscriber] {
        try EventSubscriber.parse(eventSubscriberEntries)
    }

    /// `overrides` first (tests pass theirs here), then the process environment.
    public static func reader(overrides: [String: String] = [:]) -> ConfigReader {
        ConfigReader(providers: [
            EnvironmentVariablesProvider(environmentVariables: overrides),
            EnvironmentVariablesProvider(),
        ])
    }
}

public struct PostgresSettings: Sendable {
    public var host: String
    public var port: Int
    public var user: String
    public var password: String?
    public var database: String
    /// Each service owns one schema; no service reads another's tables.
    public var schema: String
    public var maxConnections: Int

    public init(host: String, port: Int, user: String, password: String?, database: String, schema: String, maxConnections: Int) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.database = database
        self.schema = schema
        self.maxConnections = maxConnections
    }
}

public struct RedisSettings: Sendable {
    public var host: String
    public var port: Int
    public var password: String?

    public init(host: String, port: Int, password: String?) {
        self.host = host
        self.port = port
        self.password = password
    }
}
