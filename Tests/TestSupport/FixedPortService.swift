import AsyncHTTPClient
import Foundation
import Hummingbird
import ServiceLifecycle

/// Runs `app` on the port its own configuration names while `body` runs. HummingbirdTesting's
/// live mode always listens on a port of its choosing; a service that others must know the
/// address of before it starts (an event subscriber, a peer named in a URL) runs through this.
public func withService<App: ApplicationProtocol, T: Sendable>(
    _ app: App, port: Int, _ body: @Sendable () async throws -> T
) async throws -> T {
    let serviceGroup = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await serviceGroup.run() }
        do {
            try await waitUntilListening(port: port)
            let value = try await body()
            await serviceGroup.triggerGracefulShutdown()
            try await group.waitForAll()
            return value
        } catch {
            await serviceGroup.triggerGracefulShutdown()
            try? await group.waitForAll()
            throw error
        }
    }
}

/// Polls `GET /health/live` until it answers (10 s at most).
private func waitUntilListening(port: Int) async throws {
    let deadline = Date().addingTimeInterval(10)
    while true {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)/health/live")
        request.method = .GET
        if let response = try? await HTTPClient.shared.execute(request, timeout: .seconds(1)) {
            _ = try? await response.body.collect(upTo: 1 << 16)
            return
        }
        guard Date() < deadline else { throw TestFailure("nothing answers on port \(port)") }
        try await Task.sleep(for: .milliseconds(50))
    }
}
