import Foundation
import Logging
import MessagesAPI
import PostgresNIO
import ServiceKit
import Testing
import TestSupport

/// Notify's guarantees under redelivery, and notifications' 30 days.
@Suite struct DeliveryAndExpiryTests {
    @Test func anEventDeliveredTwiceNotifiesOnce() async throws {
        try await withNotify { notify in
            let (alice, bob) = (try await notify.user(), try await notify.user())
            let room = try await notify.publicRoom(alice, joiners: [bob])
            // A message_created as messages' relay sends it, posted twice (an acknowledgement lost
            // on the way back), then once more under a new event id for the same message.
            let roomID = try #require(UUID(uuidString: room))
            let sender = try #require(try await notify.users.users([NotifyFixture.id(alice)]).values.first)
            let message = MessageSnapshot(
                id: UUID.v7(), roomId: roomID, type: "text", sender: sender, content: "@\(bob.username) once", parentId: nil, createdAt: Date(),
                attachments: [])
            let payload = MessageCreated(roomId: roomID, message: message, mentionIds: [NotifyFixture.id(bob)], mentionsRoom: false, parentSenderId: nil)
            let first = try Event.made(MessageEventType.messageCreated.rawValue, stream: roomID, payload: payload)
            for event in [first, first, try Event.made(MessageEventType.messageCreated.rawValue, stream: roomID, payload: payload)] {
                try await notify.service.deliver([event])
            }
            let list = try await notify.notifications(of: bob, count: 1)
            #expect(list.map(\.messageID) == [message.id.apiString])
            #expect(try await notify.unreadCount(of: bob) == 1)
        }
    }

    @Test func expiredNotificationsNeverShowAndAreDeletedInSmallBatches() async throws {
        let clock = TestClock()
        try await withNotify(settings: ["EXPIRY_SWEEP_INTERVAL_MS": "50", "EXPIRY_BATCH_SIZE": "2"], clock: clock.wallClock) { notify in
            clock.set()
            let start = clock.now
            let (alice, bob) = (try await notify.user(), try await notify.user())
            let room = try await notify.publicRoom(alice, joiners: [bob])
            for index in 1...3 { try await notify.send("@\(bob.username) \(index)", in: room, as: alice) }
            _ = try await notify.notifications(of: bob, count: 3)

            clock.set(to: start.addingTimeInterval(30 * 86400 - 60))
            #expect(try await notify.notifications(of: bob).count == 3)
            clock.set(to: start.addingTimeInterval(30 * 86400 + 60))
            #expect(try await notify.notifications(of: bob).isEmpty)
            #expect(try await notify.unreadCount(of: bob) == 0)
            #expect(try await notify.service.call(.patch, "/notifications/read-all", token: bob.token)["marked_read"] as? Int == 0)

            // Moving the clock on wakes the job, which deletes them (three, two at a time). It moves
            // on while the test waits: a job still sweeping when the clock first moved sleeps again
            // from the new time.
            clock.set(to: start.addingTimeInterval(31 * 86400))
            try await TestPostgres.shared.withClient(database: notify.database, schema: "notify") { database in
                try await eventually("expired notifications were never deleted") {
                    clock.advance(by: 1)
                    return try await database.query("SELECT count(*)::int FROM notifications", logger: Logger(label: "test")).decode(Int.self).first { _ in true } == 0
                }
            }
        }
    }
}
