import Foundation
import Hummingbird
import Logging
import ServiceKit
import Synchronization

/// A subscriber that records the events it receives, in order; it can be told to fail, as a
/// broken consumer would (the relay must then deliver again).
public final class EventRecorder: EventHandler {
    private let state = Mutex<(events: [Event], failing: Bool, refused: Int)>(([], false, 0))

    public init() {}

    public func handle(_ event: Event) async throws {
        try state.withLock { state in
            if state.failing {
                state.refused += 1
                throw AppError.serviceUnavailable("subscriber")
            }
            state.events.append(event)
        }
    }

    public var events: [Event] { state.withLock { $0.events } }

    /// How many events it refused while failing.
    public var refused: Int { state.withLock { $0.refused } }

    public func setFailing(_ failing: Bool) { state.withLock { $0.failing = failing } }

    /// Waits until at least `count` events arrived matching `filter` (or fails after `seconds`).
    @discardableResult
    public func waitFor(_ count: Int, seconds: Double = 15, where filter: (Event) -> Bool = { _ in true }) async throws -> [Event] {
        try await eventually(seconds: seconds, "received \(events.filter(filter).count) of \(count) events: \(events.map(\.type))") {
            events.filter(filter).count >= count
        }
        return events.filter(filter)
    }

    /// Serves `POST /internal/events` into this recorder on `port` (a free one by default) while
    /// `body` runs; `body` gets the port.
    public func serve<T: Sendable>(port: Int? = nil, _ body: @Sendable (Int) async throws -> T) async throws -> T {
        let port = try port ?? TestEnvironment.freePort()
        return try await serveEvents(to: self, port: port) { try await body(port) }
    }
}

/// Serves `POST /internal/events` into `handler` on `port` while `body` runs, as a subscribing
/// service would.
public func serveEvents<T: Sendable>(to handler: some EventHandler, port: Int, _ body: @Sendable () async throws -> T) async throws -> T {
    let router = Router()
    EventReceiver.add(to: router, serviceToken: TestEnvironment.serviceToken, handler: handler, tracer: ServiceTracing.off.tracer)
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: Logger(label: "subscriber"))
    return try await withService(app, port: port, body)
}
