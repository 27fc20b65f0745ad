import Foundation
@testable import ServiceKit
import Testing

/// Time-ordered ids: increasing in the order made, and after a floor another process made.
@Suite struct EventIDsTests {
    @Test func idsIncreaseWithinAMillisecondAndWhenTheClockStepsBack() {
        let ids = EventIDs()
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let made = [ids.next(at: now), ids.next(at: now), ids.next(at: now.addingTimeInterval(-5)), ids.next(at: now)]
        #expect(made == made.sorted { $0.uuidString < $1.uuidString })
        #expect(Set(made).count == made.count)
    }

    @Test func anIdComesAfterAFloorMadeElsewhereWhateverThisClockSays() {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let elsewhere = EventIDs()
        let floor = elsewhere.next(at: now.addingTimeInterval(3))
        let here = EventIDs()
        let next = here.next(at: now, after: floor)
        #expect(next.uuidString > floor.uuidString)
        #expect(EventIDs.timestamp(of: next).millis == EventIDs.timestamp(of: floor).millis, "no further ahead than needed")
        #expect(here.next(at: now).uuidString > next.uuidString, "and later ids here after it")
        // A floor whose counter is full moves on to the next millisecond.
        let full = UUID.v7(millis: 1_800_000_003_000, counter: 0xFFF)
        #expect(EventIDs.timestamp(of: here.next(at: now, after: full)) == (1_800_000_003_001, 0))
    }
}
