import AsyncHTTPClient
import Foundation
import NIOCore
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import Tracing

/// Everything a service's generated client needs to reach a peer, made one way for every peer:
/// its base URL, API.md's date format, the shared HTTP client with a timeout, and a bearer token
/// (the service credential for `/internal/*`, or a caller's own token), and a client span per call
/// (tracing off unless a `tracer` is given).
///
///     let peer = try PeerConnection(name: "rooms", baseURL: url, httpClient: http, token: serviceToken)
///     let client = Client(serverURL: peer.url, configuration: peer.configuration,
///                         transport: peer.transport, middlewares: peer.middlewares)
public struct PeerConnection: Sendable {
    public let url: URL
    public let configuration: Configuration
    public let transport: AsyncHTTPClientTransport
    public let middlewares: [any ClientMiddleware]

    public init(
        name: String, baseURL: String, httpClient: HTTPClient, token: String, timeout: TimeAmount = .seconds(5),
        tracer: any Tracer = NoOpTracer()
    ) throws {
        guard let url = URL(string: baseURL), url.scheme != nil else {
            throw AppError.internal("the \(name) URL is not a URL: \(baseURL)")
        }
        self.url = url
        self.configuration = Configuration(dateTranscoder: .iso8601WithFractionalSeconds)
        self.transport = AsyncHTTPClientTransport(configuration: .init(client: httpClient, timeout: timeout))
        self.middlewares = [ClientSpanMiddleware(tracer: tracer, peer: name), BearerTokenMiddleware(token: token)]
    }
}
