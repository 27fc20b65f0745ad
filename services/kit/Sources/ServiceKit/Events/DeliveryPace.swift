/// How big the relay's next batch to one subscriber may be, and how long it waits after a
/// failure. A failure halves the batch (down to one event) and doubles the wait (up to
/// `maxRetryDelay`); a success ends the wait, and `successesToGrow` in a row double the batch
/// again (up to `batchSize`). So what a consumer cannot apply within the timeout gets through in
/// smaller batches, and one that stays slow costs a timeout only now and then.
struct DeliveryPace {
    static let successesToGrow = 8

    let timing: OutboxRelay.Timing
    private(set) var batchSize: Int
    private(set) var retryDelay: Duration
    private var successesInARow = 0

    init(timing: OutboxRelay.Timing) {
        self.timing = timing
        batchSize = timing.batchSize
        retryDelay = timing.firstRetryDelay
    }

    mutating func succeeded() {
        retryDelay = timing.firstRetryDelay
        successesInARow += 1
        if successesInARow == Self.successesToGrow {
            batchSize = min(batchSize * 2, timing.batchSize)
            successesInARow = 0
        }
    }

    /// Returns how long to wait before the next try.
    mutating func failed() -> Duration {
        let wait = retryDelay
        batchSize = max(1, batchSize / 2)
        successesInARow = 0
        retryDelay = min(retryDelay * 2, timing.maxRetryDelay)
        return wait
    }
}
