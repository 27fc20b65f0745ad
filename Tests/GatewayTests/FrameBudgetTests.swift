import Foundation
import Testing

@testable import Gateway

/// A socket's frame allowance: a burst at once, the rate after that, and a client that keeps
/// sending over it found flooding. Time is given, not waited for.
@Suite struct FrameBudgetTests {
    @Test func aBurstPassesThenTheRateHoldsAndDebtMeansFlooding() {
        let start = Date()
        var budget = FrameBudget(rate: 10, burst: 5, now: start)
        #expect((0..<5).map { _ in budget.spend(at: start) } == Array(repeating: .handle, count: 5))
        #expect(budget.spend(at: start) == .refuse)
        // A tenth of a second brings one frame back, but the refused one cost a token too.
        #expect(budget.spend(at: start.addingTimeInterval(0.1)) == .refuse)
        // After a pause the client may send again, at most a burst.
        #expect(budget.spend(at: start.addingTimeInterval(2)) == .handle)
        var verdicts: [FrameBudget.Verdict] = []
        for _ in 0..<20 { verdicts.append(budget.spend(at: start.addingTimeInterval(2))) }
        #expect(verdicts.prefix(4).allSatisfy { $0 == .handle })
        #expect(verdicts.contains(.refuse))
        #expect(verdicts.last == .flooding)
    }

    @Test func aClientWithinTheRateIsNeverRefused() {
        let start = Date()
        var budget = FrameBudget(rate: 10, burst: 5, now: start)
        let verdicts = (1...1000).map { budget.spend(at: start.addingTimeInterval(0.1 * Double($0))) }
        #expect(verdicts.allSatisfy { $0 == .handle })
    }
}
