import Foundation
import Logging
import ServiceKit
import ServiceLifecycle

/// Sends scheduled messages when they are due, each `interval` on the injected clock (a test
/// moves the clock to a message's time and sees it sent).
struct ScheduledDelivery: Service {
    let scheduled: ScheduledMessages
    let clock: WallClock
    let interval: Duration
    let logger: Logger

    func run() async throws {
        await clock.repeatUntilShutdown(every: interval, logger: logger, failing: "delivering scheduled messages") {
            // A full batch means more may be due: go on at once.
            while try await scheduled.deliverDue() == ScheduledMessages.batch {}
        }
    }
}
