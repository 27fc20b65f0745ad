import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Rings out calls nobody answered in time (`RING_SECONDS`), each `interval` on the
/// injected clock: a test moves the clock 45 s on and sees the call missed.
struct RingSweeper: Service {
    let calls: Calls
    let clock: WallClock
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await clock.repeatUntilShutdown(every: interval, logger: logger, failing: "ringing out calls") {
            try await calls.ringOut()
        }
    }
}
