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
    /// Shared credential that guards `/internal/*` between services. Without `SERVICE_TOKEN` a
    /// service starts only in development mode, and then with a well-known local token.
    public var serviceToken: String
    /// `DEVELOPMENT_MODE=true`: a local run that may fall back to well-known local secrets. Never
    /// set in production: without it a missing secret stops startup (`checkForStartup`).
    public var developmentMode: Bool
    /// Peers whose `X-Forwarded-For` is believed (`TRUSTED_PROXIES`: addresses or CIDR ranges,
    /// comma-separated): the client address of a request is the first address, from the right,
    /// that is not one of them. Services trust loopback by default (the gateway of the local stack).
    public var trustedProxies: TrustedProxies
    /// Who receives this service's events (`EVENT_SUBSCRIBERS`, `name=url` pairs, comma-separated).
    public var eventSubscriberEntries: [String]
    /// How long applied event ids are remembered against redelivery (`INBOX_RETENTION_SECONDS`,
    /// a week by default; `InboxPruner`).
    public var inboxRetention: TimeInterval
    /// Where spans are exported (`OTEL_EXPORTER_OTLP_ENDPOINT`, with `OTEL_EXPORTER_OTLP_PROTOCOL`
    /// `http/protobuf` or `http/json` and `OTEL_BSP_SCHEDULE_DELAY` in ms); nil: tracing is off.
    public var tracingSettings: TracingSettings?

    private let configuredServiceToken: String?
    /// The service token of development mode: every locally started service knows it.
    static let developmentServiceToken = "parley-development-service-token"

    public init(serviceName: String, defaultPort: Int, reader: ConfigReader, defaultTrustedProxies: [String] = ["127.0.0.1", "::1"]) {
        self.serviceName = serviceName
        self.httpHost = reader.string(forKey: "http.host", default: "127.0.0.1")
        self.httpPort = reader.int(forKey: "http.port", default: defaultPort)
        self.logLevel = Logger.Level(rawValue: reader.string(forKey: "log.level", default: "info")) ?? .info
        self.maxBodyBytes = reader.int(forKey: "max.body.bytes", default: 1 << 20)
        self.postgres = PostgresSettings(
            host: reader.string(forKey: "postgres.host", default: "127.0.0.1"),
            port: reader.int(forKey: "postgres.port", default: 55432),
            // Each service is its own role, owning only its schema (compose/postgres-roles.sql).
            user: reader.string(forKey: "postgres.user", default: "parley_" + serviceName),
            password: reader.string(forKey: "postgres.password", isSecret: true),
            database: reader.string(forKey: "postgres.database", default: "parley"),
            schema: reader.string(forKey: "postgres.schema", default: serviceName),
            maxConnections: reader.int(forKey: "postgres.max.connections", default: 20)
        )
        self.redis = RedisSettings(
            host: reader.string(forKey: "redis.host", default: "127.0.0.1"),
            port: reader.int(forKey: "redis.port", default: 56379),
            password: reader.string(forKey: "redis.password", isSecret: true),
            namespace: reader.string(forKey: "redis.namespace", default: ""),
            clusterNodes: reader.stringArray(forKey: "redis.cluster.nodes", default: [])
        )
        self.authURL = reader.string(forKey: "auth.url", default: "http://127.0.0.1:8081")
        self.jwtIssuer = reader.string(forKey: "jwt.issuer", default: "parley-auth")
        self.jwtAudience = reader.string(forKey: "jwt.audience", default: "parley")
        self.developmentMode = reader.bool(forKey: "development.mode", default: false)
        self.configuredServiceToken = reader.string(forKey: "service.token", isSecret: true).flatMap { $0.isEmpty ? nil : $0 }
        self.serviceToken = configuredServiceToken ?? Self.developmentServiceToken
        self.trustedProxies = TrustedProxies(reader.stringArray(forKey: "trusted.proxies", default: defaultTrustedProxies))
        self.eventSubscriberEntries = reader.stringArray(forKey: "event.subscribers", default: [])
        self.inboxRetention = TimeInterval(max(60, reader.int(forKey: "inbox.retention.seconds", default: 7 * 86400)))
        self.tracingSettings = reader.string(forKey: "otel.exporter.otlp.endpoint").flatMap { $0.isEmpty ? nil : $0 }.map { endpoint in
            TracingSettings(
                endpoint: endpoint,
                json: reader.string(forKey: "otel.exporter.otlp.protocol", default: "http/protobuf") == "http/json",
                exportDelay: .milliseconds(max(1, reader.int(forKey: "otel.bsp.schedule.delay", default: 5000))))
        }
    }

    /// Stops a production start that lacks a secret: the service token (and, through `secret`,
    /// each service's own) must be configured unless `DEVELOPMENT_MODE=true`.
    public func checkForStartup() throws {
        guard configuredServiceToken != nil || developmentMode else {
            throw StartupError("SERVICE_TOKEN is not set: give every service the same secret, or set DEVELOPMENT_MODE=true for a local run")
        }
        _ = try trustedProxies.checked()
        if let malformed = redis.clusterNodes.first(where: { RedisNode($0) == nil }) {
            throw StartupError("REDIS_CLUSTER_NODES holds \(malformed), which is not host:port")
        }
        if let endpoint = tracingSettings?.endpoint, !["http", "https"].contains(URL(string: endpoint)?.scheme ?? "") {
            throw StartupError("OTEL_EXPORTER_OTLP_ENDPOINT is \(endpoint), which is not an http(s) URL")
        }
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
    /// Put before the name of every pub/sub channel and of every key all stacks would otherwise
    /// share (`RedisClient.namespaced`): stacks sharing one Redis (parallel tests) do not hear each
    /// other. Empty by default.
    public var namespace: String
    /// A Redis Cluster's nodes (`REDIS_CLUSTER_NODES`, `host:port` pairs, comma-separated; any
    /// of them will do, the client learns the rest): commands go to the node of their key's slot,
    /// subscriptions to the first node. Empty for a single Redis at `host` and `port`.
    public var clusterNodes: [String]

    public init(host: String, port: Int, password: String?, namespace: String = "", clusterNodes: [String] = []) {
        self.host = host
        self.port = port
        self.password = password
        self.namespace = namespace
        self.clusterNodes = clusterNodes
    }
}

/// A setting that stops a service from starting, said in words an operator can act on.
public struct StartupError: Error, CustomStringConvertible {
    public let description: String

    public init(_ description: String) {
        self.description = description
    }
}
