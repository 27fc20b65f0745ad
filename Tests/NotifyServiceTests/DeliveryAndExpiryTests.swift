import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import PostgresNIO
import ServiceKit
import StackSupport
import Testing
import TestSupport

/// Notify's guarantees under redelivery, and notifications' 30 days.
@Suite struct DeliveryAndExpiryTests {
    @Test func anEventDeliveredTwiceNotifiesOnce() async throws {
        try await withStack { stack in
            let notify = NotifyFixture(stack: stack)
            let (alice, bob) = (try await notify.user(), try await notify.user())
            let room = try await notify.publicRoom(alice, joiners: [bob])
            // A message_created as messages' relay sends it, posted twice (an acknowledgement lost
            // on the way back), then once more under a new event id for the same message.
            let messageID = UUID.v7().apiString
            func batch(eventID: UUID) throws -> Data {
                let event: [String: Any] = [
                    "id": eventID.apiString, "type": "message_created", "stream": room, "occurred_at": "2026-12-01T10:00:00.000Z",
                    "data": [
                        "room_id": room, "mention_ids": [bob.id], "mentions_room": false, "parent_sender_id": NSNull(),
                        "message": [
                            "id": messageID, "room_id": room, "content": "@\(bob.username) once", "type": "text", "parent_id": NSNull(),
                            "sender": ["id": alice.id, "username": alice.username, "display_name": alice.username], "attachments": [],
                        ] as [String: Any],
                    ] as [String: Any],
                ]
                return try JSONSerialization.data(withJSONObject: ["events": [event]])
            }
            let first = try batch(eventID: UUID.v7())
            for body in [first, first, try batch(eventID: UUID.v7())] {
                var request = HTTPClientRequest(url: try #require(stack.serviceURLs["notify"]) + "/internal/events")
                request.method = .POST
                request.headers.add(name: "Content-Type", value: "application/json")
                request.headers.add(name: "Authorization", value: "Bearer \(TestEnvironment.serviceToken)")
                request.body = .bytes(ByteBuffer(data: body))
                #expect(try await HTTPClient.shared.execute(request, timeout: .seconds(10)).status == .noContent)
            }
            // A real message after them: once it is there, the three were applied before it.
            let probe = try await notify.send("@\(bob.username) probe", in: room, as: alice)
            let list = try await notify.waitForNotifications(of: bob, count: 2)
            #expect(list.map(\.messageID) == [probe, messageID])
            #expect(try await notify.unreadCount(of: bob) == 2)
        }
    }

    @Test func expiredNotificationsNeverShowAndAreDeletedInSmallBatches() async throws {
        let clock = TestClock()
        try await withStack(notifySettings: ["EXPIRY_SWEEP_INTERVAL_MS": "50", "EXPIRY_BATCH_SIZE": "2"], notifyClock: clock.wallClock) { stack in
            clock.set()
            let start = clock.now
            let notify = NotifyFixture(stack: stack)
            let (alice, bob) = (try await notify.user(), try await notify.user())
            let room = try await notify.publicRoom(alice, joiners: [bob])
            for index in 1...3 { try await notify.send("@\(bob.username) \(index)", in: room, as: alice) }
            try await notify.waitForNotifications(of: bob, count: 3)

            clock.set(to: start.addingTimeInterval(30 * 86400 - 60))
            #expect(try await notify.notifications(of: bob).count == 3)
            clock.set(to: start.addingTimeInterval(30 * 86400 + 60))
            #expect(try await notify.notifications(of: bob).isEmpty)
            #expect(try await notify.unreadCount(of: bob) == 0)
            #expect(try await stack.gateway.call(.patch, "/notifications/read-all", token: bob.token)["marked_read"] as? Int == 0)

            // Moving the clock on wakes the job, which deletes them (three, two at a time).
            clock.set(to: start.addingTimeInterval(31 * 86400))
            try await TestPostgres.shared.withClient(database: stack.sharedSettings["POSTGRES_DATABASE"], schema: "notify") { database in
                try await eventually("expired notifications were never deleted") {
                    try await database.query("SELECT count(*)::int FROM notifications", logger: Logger(label: "test")).decode(Int.self).first { _ in true } == 0
                }
            }
        }
    }
}
