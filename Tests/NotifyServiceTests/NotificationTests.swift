import Foundation
import ServiceKit
import Testing
import TestSupport

/// Notifications made by rooms' and messages' events, read as their recipients read them
/// (notify alone: `NotifyFixture`).
@Suite struct NotificationTests {
    @Test func mentionsRepliesAndRoomMentionsReachMembers() async throws {
        try await withNotify { notify in
            let (alice, bob, carol, dave) = (try await notify.user(), try await notify.user(), try await notify.user(), try await notify.user())
            let room = try await notify.publicRoom(alice, joiners: [bob, carol])

            let hello = try await notify.send("hey @\(bob.username), @\(dave.username) and @\(alice.username)", in: room, as: alice)
            try await notify.send("sure", in: room, as: bob, parent: hello)
            try await notify.send("noted", in: room, as: alice, parent: hello)
            // @room from a plain member reaches nobody; from the owner, every member.
            try await notify.send("@room lunch?", in: room, as: carol)
            let standup = try await notify.send("@here standup", in: room, as: alice)

            // Carol's only notification comes from the last message: every earlier one was applied before it.
            let carols = try await notify.notifications(of: carol, count: 1)
            #expect(carols.first?.messageID == standup && carols.first?.type == "mention")
            let bobs = try await notify.notifications(of: bob)
            #expect(bobs.map(\.type) == ["mention", "mention"])
            #expect(bobs.map(\.messageID) == [standup, hello])
            let alices = try await notify.notifications(of: alice)
            #expect(alices.map(\.type) == ["reply"])
            #expect(try await notify.notifications(of: dave).isEmpty)

            // What a desktop notification needs.
            let mention = try #require(bobs.last)
            #expect(mention["room_id"] as? String == room)
            #expect((mention["actor"] as? [String: Any])?["id"] as? String == alice.id)
            #expect((mention["title"] as? String)?.hasPrefix("\(alice.username) mentioned you in #notify-") == true)
            #expect(mention["content"] as? String == "hey @\(bob.username), @\(dave.username) and @\(alice.username)")
            #expect(mention["link"] as? String == "/#/rooms/\(room)?message=\(hello)")
            #expect(mention["read"] as? Bool == false)
            let created = try #require((mention["created_at"] as? String).flatMap(Timestamp.parse))
            let expires = try #require((mention["expires_at"] as? String).flatMap(Timestamp.parse))
            #expect(expires.timeIntervalSince(created) == 30 * 86400)
            #expect(try await notify.unreadCount(of: bob) == 2)
        }
    }

    @Test func directMessagesAndBeingAddedToARoom() async throws {
        try await withNotify { notify in
            let (alice, bob) = (try await notify.user(), try await notify.user())
            let direct = try await notify.directRoom(alice, with: bob)
            let message = try await notify.send("are you around?", in: direct, as: alice)
            let dm = try #require(try await notify.notifications(of: bob, count: 1).first)
            #expect(dm.type == "direct_message" && dm.messageID == message && dm["title"] as? String == alice.username)

            // Joining a public room oneself notifies nobody; being added does.
            _ = try await notify.publicRoom(alice, joiners: [bob])
            let room = try await notify.privateRoom(alice, named: "plans")
            try await notify.add(bob, to: room, by: alice)
            let invite = try #require(try await notify.notifications(of: bob, count: 2).first)
            #expect(invite.type == "room_invite" && invite["room_id"] as? String == room && invite["room_name"] as? String == "plans")
            #expect(invite["message_id"] is NSNull && invite["title"] as? String == "Added to #plans")
            #expect((invite["actor"] as? [String: Any])?["id"] as? String == alice.id)
        }
    }

    @Test func aCallNotifiesWhomItRingsOncePerCall() async throws {
        try await withNotify { notify in
            let (alice, bob, carol, dave) = (try await notify.user(), try await notify.user(), try await notify.user(), try await notify.user())
            let direct = try await notify.directRoom(alice, with: bob)
            let call = try await notify.call("video", in: direct, by: alice, ringing: [bob])
            let ringing = try #require(try await notify.notifications(of: bob, count: 1).first)
            #expect(ringing.type == "call" && ringing["title"] as? String == "\(alice.username) is calling you")
            #expect(ringing["content"] as? String == "Incoming video call" && ringing["message_id"] is NSNull)
            #expect(ringing["room_id"] as? String == direct && ringing["link"] as? String == "/#/rooms/\(direct)")
            #expect((ringing["actor"] as? [String: Any])?["id"] as? String == alice.id)
            #expect(try await notify.notifications(of: alice).isEmpty)
            // The same call announced again (a redelivery) notifies no one twice.
            try await notify.call("video", in: direct, by: alice, ringing: [bob], id: call)
            #expect(try await notify.notifications(of: bob).count == 1)

            // A group call: whoever left the room since it rang is not notified.
            let room = try await notify.publicRoom(alice, joiners: [bob, carol])
            try await notify.call("voice", in: room, by: bob, ringing: [alice, carol, dave])
            let alices = try await notify.notifications(of: alice, count: 1)
            #expect(alices.first?["title"] as? String == "\(bob.username) is calling #\(try #require(alices.first?["room_name"] as? String))")
            #expect(alices.first?["content"] as? String == "Incoming voice call")
            #expect(try await notify.notifications(of: carol, count: 1).first?.type == "call")
            #expect(try await notify.notifications(of: dave).isEmpty)
        }
    }

    @Test func eachLevelDecidesWhatARoomNotifies() async throws {
        try await withNotify { notify in
            let (alice, bob, carol) = (try await notify.user(), try await notify.user(), try await notify.user())
            let room = try await notify.publicRoom(alice, joiners: [bob, carol])
            try await notify.setLevel("all", in: room, for: bob)
            try await notify.setLevel("muted", in: room, for: carol)
            let direct = try await notify.directRoom(alice, with: carol)

            let plain = try await notify.send("plain hello", in: room, as: alice)
            let aboutCarol = try await notify.send("@\(carol.username) look", in: room, as: alice)
            try await notify.setLevel("muted", in: direct, for: carol)
            try await notify.send("psst", in: direct, as: alice)
            // Back to the default (mentions): a plain message no longer notifies Bob, a mention does.
            try await notify.setLevel("mentions", in: room, for: bob)
            try await notify.send("plain again", in: room, as: alice)
            let mention = try await notify.send("@\(bob.username) done", in: room, as: alice)

            let bobs = try await notify.notifications(of: bob, count: 3)
            #expect(bobs.map(\.type) == ["mention", "message", "message"])
            #expect(bobs.map(\.messageID) == [mention, aboutCarol, plain])
            #expect((bobs.last?["title"] as? String)?.hasPrefix("\(alice.username) in #") == true)
            #expect(try await notify.notifications(of: carol).isEmpty)
        }
    }

    @Test func nothingComesFromABlockedUser() async throws {
        try await withNotify { notify in
            let (alice, bob, carol) = (try await notify.user(), try await notify.user(), try await notify.user())
            let room = try await notify.publicRoom(alice, joiners: [bob, carol])
            try await notify.block(alice, by: bob)
            try await notify.send("@\(bob.username) hello?", in: room, as: alice)
            try await notify.send("reply to you", in: room, as: alice, parent: try await notify.send("mine", in: room, as: bob))
            let fromCarol = try await notify.send("@\(bob.username) probe", in: room, as: carol)
            #expect(try await notify.notifications(of: bob, count: 1).map(\.messageID) == [fromCarol])
            // A block is the blocker's own choice: Alice still hears from Bob.
            try await notify.send("@\(alice.username) hi", in: room, as: bob)
            #expect(try await notify.notifications(of: alice, count: 1).first?.type == "mention")
        }
    }

    @Test func editsThatAddAMentionNotifyAndDeletesWithdrawWhatIsUnread() async throws {
        try await withNotify { notify in
            let (alice, bob) = (try await notify.user(), try await notify.user())
            let room = try await notify.publicRoom(alice, joiners: [bob])
            let edited = try await notify.send("hello", in: room, as: alice)
            try await notify.edit(edited, to: "hello @\(bob.username)")
            #expect(try await notify.notifications(of: bob, count: 1).first?.messageID == edited)
            // Mentioned already: editing again adds nothing.
            try await notify.edit(edited, to: "hello @\(bob.username)!")
            let second = try await notify.send("@\(bob.username) second", in: room, as: alice)
            let third = try await notify.send("@\(bob.username) third", in: room, as: alice)
            let list = try await notify.notifications(of: bob, count: 3)
            #expect(list.map(\.messageID) == [third, second, edited])

            let secondID = try #require(list[1]["id"] as? String)
            #expect(try await notify.service.call(.patch, "/notifications/\(secondID)/read", token: bob.token).status == .ok)
            for message in [edited, second] {
                try await notify.delete(message)
            }
            // The unread one is withdrawn; the one Bob read stays in his history.
            let after = try await notify.notifications(of: bob, count: 2)
            #expect(after.map(\.messageID) == [third, second])
            #expect(try await notify.unreadCount(of: bob) == 1)
        }
    }

    @Test func readingOneOrAllKeepsTheCountAndPagesWalkEverything() async throws {
        try await withNotify { notify in
            let (alice, bob, carol) = (try await notify.user(), try await notify.user(), try await notify.user())
            let room = try await notify.publicRoom(alice, joiners: [bob])
            var sent: [String] = []
            for index in 1...5 { sent.append(try await notify.send("@\(bob.username) number \(index)", in: room, as: alice)) }
            let all = try await notify.notifications(of: bob, count: 5)
            #expect(all.map(\.messageID) == sent.reversed())
            #expect(try await notify.unreadCount(of: bob) == 5)

            // Pages of two, newest first, with nothing missed or repeated.
            var walked: [String] = []
            var cursor: String?
            repeat {
                let reply = try await notify.fetch(bob, query: "limit=2" + (cursor.map { "&cursor=\($0)" } ?? ""))
                let page = try #require(reply["notifications"] as? [[String: Any]])
                #expect(page.count <= 2)
                walked += page.compactMap(\.messageID)
                cursor = reply["next_cursor"] as? String
            } while cursor != nil
            #expect(walked == sent.reversed())

            let newest = try #require(all.first?["id"] as? String)
            let read = try await notify.service.call(.patch, "/notifications/\(newest)/read", token: bob.token)
            #expect(read.status == .ok && read["read"] as? Bool == true && read["read_at"] is String)
            #expect(try await notify.service.call(.patch, "/notifications/\(newest)/read", token: bob.token)["read"] as? Bool == true)
            #expect(try await notify.unreadCount(of: bob) == 4)
            let unread = try await notify.notifications(of: bob, query: "unread=true")
            #expect(unread.map(\.messageID) == Array(sent.reversed().dropFirst()))

            // Someone else's notification, or no notification at all: 404 and nothing changes.
            #expect(try await notify.service.call(.patch, "/notifications/\(unread[0]["id"] as! String)/read", token: carol.token).status == .notFound)
            #expect(try await notify.service.call(.patch, "/notifications/not-an-id/read", token: bob.token).status == .notFound)
            #expect(try await notify.fetch(bob, query: "unread=maybe").errorField == "unread")
            #expect(try await notify.fetch(bob, query: "limit=0").errorField == "limit")
            #expect(try await notify.fetch(bob, query: "cursor=%21%21").errorField == "cursor")
            #expect(try await notify.service.call(.get, "/notifications").status == .unauthorized)
            #expect(try await notify.unreadCount(of: bob) == 4)

            let readAll = try await notify.service.call(.patch, "/notifications/read-all", token: bob.token)
            #expect(readAll.status == .ok && readAll["marked_read"] as? Int == 4 && readAll["unread_count"] as? Int == 0)
            #expect(try await notify.unreadCount(of: bob) == 0)
            #expect(try await notify.notifications(of: bob, query: "unread=true").isEmpty)
            #expect(try await notify.notifications(of: bob).count == 5)
        }
    }
}
