import Foundation
import Synchronization

/// Event ids: UUIDv7s that strictly increase in the order they are made, even within one
/// millisecond or when the clock steps back (RFC 9562 method 1: a counter in `rand_a`), so that
/// `event_id` orders a stream's events as API.md promises.
public final class EventIDs: Sendable {
    private let last = Mutex<(millis: UInt64, counter: UInt16)>((0, 0))

    public init() {}

    public func next(at date: Date) -> UUID {
        let (millis, counter) = last.withLock { last in
            let now = UInt64(max(0, date.timeIntervalSince1970 * 1000))
            if now > last.millis {
                last = (now, 0)
            } else if last.counter < 0xFFF {
                last.counter += 1
            } else {
                last = (last.millis + 1, 0)
            }
            return last
        }
        return .v7(millis: millis, counter: counter)
    }
}
