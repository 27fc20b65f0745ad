import Foundation
import RoomsAPI
import ServiceKit
import Synchronization
import Testing
import TestSupport

/// Rooms' answers kept in a process's memory serve until rooms moves their subject's epoch, never
/// longer than an epoch is sure to live, and not at all without Redis.
@Suite struct EpochCacheTests {
    /// How many times rooms was asked: each fetch answers with its own number.
    final class Fetches: Sendable {
        private let count = Mutex(0)
        func next() -> Int { count.withLock { $0 += 1; return $0 } }
    }

    @Test func anEntryServesUntilItsEpochMovesOrItGrowsOld() async throws {
        let epochs = AccessEpochs(redis: RedisClient(settings: try await TestEnvironment.redisSettings()))
        let clock = TestClock()
        let cache = EpochCache<Int>(epochs: epochs, capacity: 10, clock: clock.wallClock)
        let (room, user) = (UUID(), UUID())
        let fetches = Fetches()
        func use(_ subject: AccessEpochs.Subject) async throws -> Int { try await cache.value(of: subject) { fetches.next() } }

        #expect(try await use(.room(room)) == 1)
        #expect(try await use(.room(room)) == 1, "asked rooms again with nothing changed")
        #expect(try await use(.user(user)) == 2, "a user is not their room")
        try await epochs.bump(rooms: [room], users: [])
        #expect(try await use(.room(room)) == 3, "served what rooms changed")
        #expect(try await use(.user(user)) == 2)
        clock.advance(by: EpochCache<Int>.maxAge)
        #expect(try await use(.room(room)) == 4, "kept an entry past half an epoch's life")
    }

    @Test func pastItsCapacityOneEntryMakesRoomAndEveryAnswerStaysRight() async throws {
        let epochs = AccessEpochs(redis: RedisClient(settings: try await TestEnvironment.redisSettings()))
        let cache = EpochCache<UUID>(epochs: epochs, capacity: 2)
        let rooms = (0..<5).map { _ in UUID() }
        for _ in 0..<3 {
            for room in rooms { #expect(try await cache.value(of: .room(room)) { room } == room) }
        }
    }

    @Test func withoutRedisEveryUseAsksRooms() async throws {
        let dead = RedisClient(settings: RedisSettings(host: "127.0.0.1", port: try TestEnvironment.freePort(), password: nil), connections: 1)
        let cache = EpochCache<Int>(epochs: AccessEpochs(redis: dead), capacity: 10)
        let fetches = Fetches()
        let room = AccessEpochs.Subject.room(UUID())
        #expect(try await cache.value(of: room) { fetches.next() } == 1)
        #expect(try await cache.value(of: room) { fetches.next() } == 2)
    }
}
