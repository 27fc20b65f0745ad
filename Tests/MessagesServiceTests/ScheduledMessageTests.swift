import Foundation
import HummingbirdTesting
import MessagesService
import ServiceKit
import Testing
import TestSupport

/// Messages for later (issue 21), on a test clock: written, listed, changed, cancelled, sent at
/// their time once (with two instances looking for due ones, and after a delivery cut short),
/// and failing visibly when their author may no longer post.
@Suite struct ScheduledMessageTests {
    @Test func aMessageIsScheduledChangedAndSentAtItsTime() async throws {
        let time = ScheduleClock()
        let (clock, at) = (time.clock, time.at)
        try await withScheduling(time) { stack, room in
            let (alice, bob) = (room.owner, room.members[0])
            let path = "/rooms/\(room.id)/scheduled-messages"
            // Out of range, or not a time: refused.
            for sendAt in [at(59), at(367 * 86_400), "tomorrow"] {
                let refused = try await stack.messages.call(.post, path, json: ["content": "too soon", "send_at": sendAt], token: alice.token)
                #expect(refused.status == .badRequest && refused.errorField == "send_at", "\(sendAt)")
            }
            let scheduled = try await stack.messages.call(.post, path, json: ["content": "standup in 5", "send_at": at(120)], token: alice.token)
            #expect(scheduled.status == .created)
            let id = try #require(scheduled["id"] as? String)
            #expect(scheduled["status"] as? String == "scheduled" && scheduled["send_at"] as? String == at(120))
            let cancelled = try #require(
                try await stack.messages.call(.post, path, json: ["content": "never mind", "send_at": at(90)], token: alice.token)["id"] as? String)

            // Only its author sees and changes it.
            #expect((try await stack.messages.call(.get, path, token: bob.token)["scheduled_messages"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await stack.messages.call(.patch, "/scheduled-messages/\(id)", json: ["content": "mine"], token: bob.token).status == .notFound)
            let changed = try await stack.messages.call(.patch, "/scheduled-messages/\(id)", json: ["content": "standup in 2"], token: alice.token)
            #expect(changed.status == .ok && changed["content"] as? String == "standup in 2")
            #expect(try await stack.messages.call(.delete, "/scheduled-messages/\(cancelled)", token: alice.token).status == .noContent)
            let listed = try #require(try await stack.messages.call(.get, path, token: alice.token)["scheduled_messages"] as? [[String: Any]])
            #expect(listed.compactMap { $0["id"] as? String } == [id])

            // Not before its time; at its time, once, as Alice's.
            try await clock.waitForSleepers()
            clock.advance(by: 100)
            await clock.sleeperArrived()
            #expect(try await room.messages(as: bob).messages.isEmpty)
            clock.advance(by: 21)
            try await eventually("the message never arrived") { try await room.messages(as: bob).messages.count == 1 }
            let sent = try #require(try await room.messages(as: bob).messages.first)
            #expect(sent["content"] as? String == "standup in 2")
            #expect((sent["sender"] as? [String: Any])?["id"] as? String == alice.id)
            #expect(sent["created_at"] as? String == at(121))
            #expect((try await stack.messages.call(.get, path, token: alice.token)["scheduled_messages"] as? [[String: Any]])?.isEmpty == true)
            #expect(try await stack.messages.call(.delete, "/scheduled-messages/\(id)", token: alice.token).errorCode == "already_sent")

            // A delivery cut short after the send, before its row was marked (a crash): the
            // next one finds the message the first made and sends nothing more.
            try await TestPostgres.shared.withClient(database: stack.settings["POSTGRES_DATABASE"], schema: "messages") { db in
                try await db.query("UPDATE scheduled_messages SET status = 'scheduled', message_id = NULL, claimed_until = NULL WHERE id = \(UUID(uuidString: id)!)")
            }
            clock.advance(by: 2)
            try await eventually("the row was never marked sent again") {
                (try await stack.messages.call(.get, path, token: alice.token)["scheduled_messages"] as? [[String: Any]])?.isEmpty == true
            }
            #expect(try await room.messages(as: bob).messages.count == 1)
        }
    }

    @Test func twoInstancesSendEachDueMessageOnce() async throws {
        let time = ScheduleClock()
        let (clock, at) = (time.clock, time.at)
        try await withMessages(clock: clock.wallClock) { stack in
            let second = try await MessagesService.buildApplication(
                settings: MessagesSettings(reader: TestEnvironment.reader(stack.settings)), clock: clock.wallClock, neighbours: stack.neighbours)
            try await second.test(.live) { _ in
                try await withTimeout(seconds: 60) {
                    let room = try await RoomFixture.make(stack, memberCount: 1)
                    for index in 1...30 {
                        let reply = try await stack.messages.call(
                            .post, "/rooms/\(room.id)/scheduled-messages", json: ["content": "due \(index)", "send_at": at(61 + Double(index % 3))],
                            token: room.owner.token)
                        #expect(reply.status == .created)
                    }
                    // Both instances' delivery loops wait on the clock; then both find the 30 due.
                    try await clock.waitForSleepers(2)
                    clock.advance(by: 90)
                    try await eventually("not every message arrived") {
                        try await room.messages(as: room.owner, query: "?limit=100").messages.count >= 30
                    }
                    await clock.sleeperArrived()
                    await clock.sleeperArrived()
                    let contents = try await room.messages(as: room.owner, query: "?limit=100").messages.compactMap { $0["content"] as? String }
                    #expect(contents.count == 30 && Set(contents).count == 30, "each sent once")
                }
            }
        }
    }

    @Test func anAuthorWhoMayNoLongerPostSeesItFail() async throws {
        let time = ScheduleClock()
        let (clock, at) = (time.clock, time.at)
        try await withScheduling(time) { stack, room in
            let (alice, bob) = (room.owner, room.members[0])
            let path = "/rooms/\(room.id)/scheduled-messages"
            let id = try #require(try await stack.messages.call(.post, path, json: ["content": "later", "send_at": at(61)], token: bob.token)["id"] as? String)
            try await stack.setMuted(true, bob, in: room.id)
            try await clock.waitForSleepers()
            clock.advance(by: 62)
            try await eventually("it never failed") {
                (try await stack.messages.call(.get, path, token: bob.token)["scheduled_messages"] as? [[String: Any]])?.first?["status"] as? String == "failed"
            }
            let failed = try #require((try await stack.messages.call(.get, path, token: bob.token)["scheduled_messages"] as? [[String: Any]])?.first)
            #expect(failed["failure"] as? String == "you are muted in this room")
            #expect(try await room.messages(as: alice).messages.isEmpty)

            // Unmuted, Bob sends it again later: a failed one needs a new time.
            try await stack.setMuted(false, bob, in: room.id)
            #expect(try await stack.messages.call(.patch, "/scheduled-messages/\(id)", json: ["content": "later"], token: bob.token).errorField == "send_at")
            let again = try await stack.messages.call(.patch, "/scheduled-messages/\(id)", json: ["send_at": at(62 + 120)], token: bob.token)
            #expect(again["status"] as? String == "scheduled")
            clock.advance(by: 121)
            try await eventually("it never arrived") { try await room.messages(as: alice).messages.count == 1 }
        }
    }
}

/// A test clock, and times counted from where it started as the API writes them.
struct ScheduleClock: Sendable {
    let clock = TestClock()
    let start: Date

    init() {
        start = clock.now
    }

    @Sendable func at(_ seconds: TimeInterval) -> String {
        Timestamp.format(start.addingTimeInterval(seconds))
    }
}

/// Messages alone on `time`'s clock (looking for due messages every second of it), with a room
/// of two.
func withScheduling(_ time: ScheduleClock, _ body: @escaping @Sendable (MessagesStack, RoomFixture) async throws -> Void) async throws {
    try await withMessages(clock: time.clock.wallClock) { stack in
        try await withTimeout(seconds: 60) {
            try await body(stack, try await RoomFixture.make(stack, memberCount: 1))
        }
    }
}
