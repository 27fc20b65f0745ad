import Foundation

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
    private var updated: Date

    init(rate: Double, burst: Int, now: Date) {
        self.rate = rate
        self.burst = Double(burst)
        self.tokens = Double(burst)
        self.updated = now
    }

    mutating func spend(at now: Date) -> Verdict {
        tokens = min(burst, tokens + max(0, now.timeIntervalSince(updated)) * rate) - 1
        updated = now
        if tokens >= 0 { return .handle }
        return tokens <= -burst ? .flooding : .refuse
    }
}
