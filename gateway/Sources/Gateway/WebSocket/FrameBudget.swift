/// A socket's allowance of client frames: a token bucket holding at most `burst` frames, refilled
/// at `rate` per second. Every frame costs a token, a refused one too, so a client that keeps
/// sending over the rate stays refused, and once its debt reaches `burst` it is flooding.
struct FrameBudget {
    enum Verdict: Equatable {
        case handle
        case refuse
        case flooding
    }

    let rate: Double
    let burst: Double
    private var tokens: Double
    private var updated: ContinuousClock.Instant

    init(rate: Double, burst: Int, now: ContinuousClock.Instant = .now) {
        self.rate = rate
        self.burst = Double(burst)
        self.tokens = Double(burst)
        self.updated = now
    }

    mutating func spend(at now: ContinuousClock.Instant = .now) -> Verdict {
        let elapsed = now - updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        tokens = min(burst, tokens + max(0, seconds) * rate) - 1
        updated = now
        if tokens >= 0 { return .handle }
        return tokens <= -burst ? .flooding : .refuse
    }
}
