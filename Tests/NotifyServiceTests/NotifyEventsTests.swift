import Foundation
import Logging
import NotifyAPI
import ServiceKit
import Testing
import TestSupport

/// Notify as the producer of the events `NotifyAPI` defines (the gateway's source of live
/// notification frames): each on its recipient's stream, decoding as `NotificationCreated` and
/// `NotificationsChanged` with the values of what happened.
@Suite struct NotifyEventsTests {
    let logger = Logger(label: "notify-events")

    @Test func everyEventNotifyEmitsDecodesAsNotifyAPISays() async throws {
        let recorder = EventRecorder()
        try await recorder.serve { subscriber in
            try await withNotify(settings: ["EVENT_SUBSCRIBERS": "test=http://127.0.0.1:\(subscriber)"]) { notify in
                let (alice, bob) = (try await notify.user(), try await notify.user())
                let room = try await notify.publicRoom(alice, joiners: [bob])
                try await notify.send("@\(bob.username) read this", in: room, as: alice)
                let retracted = try await notify.send("@\(bob.username) not this", in: room, as: alice)
                let listed = try await notify.notifications(of: bob, count: 2)
                let (retractedID, readID) = (try #require(listed[0]["id"] as? String), try #require(listed[1]["id"] as? String))
                #expect(try await notify.service.call(.patch, "/notifications/\(readID)/read", token: bob.token).status == .ok)
                try await notify.delete(retracted)

                let events = try await recorder.waitFor(4) { $0.stream == bob.id }
                #expect(events.map(\.type) == ["notification_created", "notification_created", "notifications_read", "notifications_removed"])
                #expect(recorder.events.allSatisfy { NotifyEventType(rawValue: $0.type) != nil })
                let bobID = NotifyFixture.id(bob)
                let created = try events.prefix(2).map { try #require($0.payload(as: NotificationCreated.self, logger: logger)) }
                #expect(created.map(\.userId) == [bobID, bobID] && created.map(\.unreadCount) == [1, 2])
                #expect(created.map(\.notification.id.apiString) == [readID, retractedID])
                let read = try #require(events[2].payload(as: NotificationsChanged.self, logger: logger))
                #expect(read == NotificationsChanged(userId: bobID, notificationIds: [UUID(uuidString: readID)!], unreadCount: 1))
                let removed = try #require(events[3].payload(as: NotificationsChanged.self, logger: logger))
                #expect(removed == NotificationsChanged(userId: bobID, notificationIds: [UUID(uuidString: retractedID)!], unreadCount: 0))
            }
        }
    }
}
