import Foundation
import Synchronization

/// Event ids: UUIDv7s that strictly increase in the order they are made, even within one
/// millisecond or when the clock steps back (RFC 9562 method 1: a counter in `rand_a`), so that
/// `event_id` orders a stream's events as API.md promises.
public final class EventIDs: Sendable {
    private let last = Mutex<(millis: UInt64, counter: UInt16)>((0, 0))

    public init() {}

    public func next(at date: Date) -> UUID {
        next(at: date, after: nil)
    }

    /// An id after `floor` as well: the newest id of a room, whichever process wrote it. Processes
    /// that make a room's ids under its lock, each from `floor` read under that lock, make them in
    /// the order they took the lock, whatever their clocks say or however many share a millisecond.
    public func next(at date: Date, after floor: UUID?) -> UUID {
        let (millis, counter) = last.withLock { last in
            if let floor = floor.map(Self.timestamp), floor > last { last = floor }
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

    /// A UUIDv7's milliseconds and the 12 bits after them (`rand_a`, this generator's counter).
    static func timestamp(of id: UUID) -> (millis: UInt64, counter: UInt16) {
        let bytes = withUnsafeBytes(of: id.uuid) { Array($0) }
        let millis = bytes[0..<6].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (millis, UInt16(bytes[6] & 0x0F) << 8 | UInt16(bytes[7]))
    }
}
