import Foundation
import ServiceKit
import Synchronization

/// Answers of rooms kept in this process's memory, each stamped with its subject's access epoch as
/// it was before rooms was asked (`AccessEpochs`). An entry serves while the epoch has not moved:
/// a change rooms acknowledged is seen on the very next use, and nothing is asked of rooms, nor
/// decoded, while nothing changed. A use costs one Redis `GET`.
///
/// For answers too large to move through Redis on every use, such as a room's whole roster. With
/// Redis unreachable, every use asks rooms and keeps nothing (there is no epoch to stamp it with).
public final class EpochCache<Value: Sendable>: Sendable {
    private struct Entry {
        let stamp: String
        let value: Value
        let storedAt: Date
    }

    private let epochs: AccessEpochs
    private let capacity: Int
    private let clock: WallClock
    private let entries = Mutex<[AccessEpochs.Subject: Entry]>([:])

    /// An epoch that expired reads as "none" again, like one never set: entries are dropped well
    /// before that can happen, so none filled before the epoch was first set can come back.
    public static var maxAge: TimeInterval { TimeInterval(AccessEpochs.retentionSeconds / 2) }

    /// `capacity`: entries kept at most; past it, one kept for another subject makes room.
    public init(epochs: AccessEpochs, capacity: Int, clock: WallClock = .system) {
        self.epochs = epochs
        self.capacity = capacity
        self.clock = clock
    }

    /// `subject`'s value: the one kept if its epoch has not moved since, else `fetch`'s (kept).
    public func value(of subject: AccessEpochs.Subject, fetch: () async throws -> Value) async throws -> Value {
        guard let stamp = try? await epochs.stamp(of: [subject]) else { return try await fetch() }
        let now = clock.now()
        if let entry = entries.withLock({ $0[subject] }), entry.stamp == stamp, now.timeIntervalSince(entry.storedAt) < Self.maxAge {
            return entry.value
        }
        let value = try await fetch()
        entries.withLock { entries in
            if entries[subject] == nil, entries.count >= capacity, let any = entries.keys.first { entries[any] = nil }
            entries[subject] = Entry(stamp: stamp, value: value, storedAt: now)
        }
        return value
    }
}
