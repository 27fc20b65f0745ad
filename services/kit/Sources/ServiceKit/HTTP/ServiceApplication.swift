import Hummingbird
import Logging
import ServiceLifecycle

extension ServiceConfig {
    public var applicationConfiguration: ApplicationConfiguration {
        ApplicationConfiguration(address: .hostname(httpHost, port: httpPort), serverName: serviceName)
    }

    public func logger() -> Logger {
        var logger = Logger(label: serviceName)
        logger.logLevel = logLevel
        return logger
    }
}

/// What an executable does: JSON logs, a check that no production secret is missing, then run the application until SIGTERM/SIGINT, when
/// Hummingbird stops accepting, finishes in-flight requests and shuts its services down.
public enum ServiceMain {
    public static func run<App: ApplicationProtocol>(config: ServiceConfig, build: () async throws -> App) async throws {
        JSONLogHandler.bootstrap(level: config.logLevel)
        try config.checkForStartup()
        let app = try await build()
        try await app.runService()
    }
}
