import Foundation
import Hummingbird
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Runs `app` on the port its own configuration names while `body` runs. HummingbirdTesting's
/// live mode always listens on a port of its choosing; a service that others must know the
/// address of before it starts (an event subscriber, a peer named in a URL) runs through this.
public func withService<App: ApplicationProtocol, T: Sendable>(
    _ app: App, port: Int, _ body: @Sendable () async throws -> T
) async throws -> T {
    let serviceGroup = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
    let stopped = StopReason()
    return try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask {
            do {
                try await serviceGroup.run()
                stopped.set("it stopped")
            } catch {
                stopped.set("\(error)")
                throw error
            }
        }
        do {
            try await waitUntilListening(port: port, stopped: stopped.reason)
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

/// Why a service stopped, once it has.
private final class StopReason: Sendable {
    private let value = Mutex<String?>(nil)

    func set(_ reason: String) { value.withLock { $0 = reason } }
    func reason() -> String? { value.withLock { $0 } }
}

/// Tries to connect until the service accepts, or fails once it has stopped (`stopped` says
/// why); no deadline of its own, so a slow machine only makes it slower. A bare TCP connection,
/// closed at once: an HTTP client would keep it open for its next request, and a graceful stop
/// of the service waits for it.
private func waitUntilListening(port: Int, stopped: () -> String?) async throws {
    while true {
        let connected = try? await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton).connect(host: "127.0.0.1", port: port).get()
        if let connected {
            try? await connected.close()
            return
        }
        if let reason = stopped() { throw TestFailure("the service for port \(port) did not start listening: \(reason)") }
        try await Task.sleep(for: .milliseconds(50))
    }
}
