import AsyncHTTPClient
import AuthAPI
import Foundation
import Logging
import MessagesAPI
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
            let roomID = try #require(UUID(uuidString: room))
            let sender = UserSummary(
                id: try #require(UUID(uuidString: alice.id)), username: alice.username, displayName: alice.username, avatarUrl: nil,
                status: "online", statusMessage: nil, createdAt: Date(), lastSeenAt: Date())
            let message = MessageSnapshot(
                id: UUID.v7(), roomId: roomID, type: "text", sender: sender, content: "@\(bob.username) once", parentId: nil, createdAt: Date(),
                attachments: [])
            let messageID = message.id.apiString
            let payload = MessageCreated(
                roomId: roomID, message: message, mentionIds: [try #require(UUID(uuidString: bob.id))], mentionsRoom: false, parentSenderId: nil)
            func batch() throws -> Data {
                Data(("{\"events\":[" + (try Event.made(MessageEventType.messageCreated.rawValue, stream: roomID, payload: payload)).jsonText + "]}").utf8)
            }
            let first = try batch()
            for body in [first, first, try batch()] {
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
