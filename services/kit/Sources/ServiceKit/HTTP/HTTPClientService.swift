import AsyncHTTPClient
import ServiceLifecycle

/// Owns an HTTP client for the application's lifetime and shuts it down on graceful shutdown.
public struct HTTPClientService: Service {
    public let client: HTTPClient

    public init(configuration: HTTPClient.Configuration = .init()) {
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    public func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}
