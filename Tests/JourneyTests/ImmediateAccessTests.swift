import Foundation
import HTTPTypes
import StackSupport
import Testing
import TestSupport

/// A block, ban, removal or mute holds at messages on the very next request after rooms answered
/// it, although messages caches rooms' answers: driven through the whole stack, each cache warmed
/// first. Rooms' events are held back (sent where nothing listens, so they wait in its outbox):
/// events arrive whenever they do, and what must hold at once cannot wait for them.
@Suite struct ImmediateAccessTests {
    typealias User = (token: String, id: String, username: String)

    static let roomsEventsHeldBack = ["EVENT_SUBSCRIBERS": "nowhere=http://127.0.0.1:1"]
    static let sendsUnlimited = ["SEND_RATE_LIMIT": "1000"]

    /// `count` sends at once, each as `user`.
    static func sendsAtOnce(_ count: Int, in room: String, as user: User, stack: Stack) async throws -> [APIReply] {
        try await withThrowingTaskGroup(of: APIReply.self) { group in
            for index in 0..<count {
                group.addTask {
                    try await stack.gateway.call(.post, "/rooms/\(room)/messages", json: ["content": "probe \(index)"], token: user.token)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }

    /// A room of `type` made by a new owner, with `member` added; both have sent once, so
    /// messages holds each one's standing in its cache.
    static func warmRoom(_ stack: Stack, type: String) async throws -> (room: String, owner: User, member: User) {
        let owner = try await stack.gateway.register()
        let member = try await stack.gateway.register()
        let created = try await stack.gateway.call(.post, "/rooms", json: ["name": "Cached", "type": type], token: owner.token)
        let room = try #require(created["id"] as? String)
        #expect(try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": member.id], token: owner.token).status == .created)
        for user in [owner, member] { _ = try await stack.gateway.sendMessage("warming up", in: room, token: user.token) }
        return (room, owner, member)
    }

    @Test func twentySendsStraightAfterABlockAreAllRefused() async throws {
        try await withStack(roomsSettings: Self.roomsEventsHeldBack, messagesSettings: Self.sendsUnlimited) { stack in
            let alice = try await stack.gateway.register()
            let bob = try await stack.gateway.register()
            let direct = try await stack.gateway.call(.post, "/rooms", json: ["type": "direct", "user_id": bob.id], token: alice.token)
            let room = try #require(direct["id"] as? String)
            _ = try await stack.gateway.sendMessage("hi bob", in: room, token: alice.token)
            _ = try await stack.gateway.sendMessage("hi alice", in: room, token: bob.token)

            #expect(try await stack.gateway.call(.post, "/users/\(alice.id)/block", token: bob.token).status == .noContent)
            let probes = try await Self.sendsAtOnce(20, in: room, as: alice, stack: stack)
            #expect(probes.filter { $0.status == .forbidden && $0.errorCode == "blocked" }.count == 20, "\(probes.map(\.status.code))")
            let fromBob = try await stack.gateway.call(.post, "/rooms/\(room)/messages", json: ["content": "bye"], token: bob.token)
            #expect(fromBob.errorCode == "blocked")

            #expect(try await stack.gateway.call(.delete, "/users/\(alice.id)/block", token: bob.token).status == .noContent)
            let after = try await stack.gateway.call(.post, "/rooms/\(room)/messages", json: ["content": "sorry"], token: alice.token)
            #expect(after.status == .created, "an unblock holds at once too")
        }
    }

    /// The gateway too: a removed member's socket gets nothing of the room sent after the
    /// removal, though rooms' `member_removed` event has not reached the gateway.
    @Test func aRemovedMembersSocketGetsNothingOfTheRoomSentAfterTheRemoval() async throws {
        try await withStack(roomsSettings: Self.roomsEventsHeldBack, messagesSettings: Self.sendsUnlimited) { stack in
            let (room, owner, member) = try await Self.warmRoom(stack, type: "private")
            let ownerSocket = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            let memberSocket = try await LiveSocket(port: stack.gatewayPort, token: member.token)
            #expect(try await stack.gateway.call(.delete, "/rooms/\(room)/members/\(member.id)", token: owner.token).status == .noContent)
            // Told at once, as rooms' event would have told it.
            try await memberSocket.waitFor("user_left") { $0["user_id"] as? String == member.id }
            let secret = try await stack.gateway.sendMessage("after the removal", in: room, token: owner.token)
            try await ownerSocket.waitFor("message_created") { ($0["message"] as? [String: Any])?["id"] as? String == secret }
            #expect(memberSocket.received("message_created").isEmpty, "the removed member's socket got a message sent after the removal")
            await ownerSocket.close()
            await memberSocket.close()
        }
    }

    @Test func theNextSendAfterABanIsRefused() async throws {
        try await withStack(roomsSettings: Self.roomsEventsHeldBack, messagesSettings: Self.sendsUnlimited) { stack in
            let (room, owner, member) = try await Self.warmRoom(stack, type: "public")
            let banned = try await stack.gateway.call(.post, "/rooms/\(room)/bans", json: ["user_id": member.id], token: owner.token)
            #expect(banned.status == .created)
            let probes = try await Self.sendsAtOnce(20, in: room, as: member, stack: stack)
            #expect(probes.filter { $0.status == .forbidden && $0.errorCode == "banned" }.count == 20, "\(probes.map(\.status.code))")
        }
    }

    @Test func theNextSendAfterARemovalIsRefused() async throws {
        try await withStack(roomsSettings: Self.roomsEventsHeldBack, messagesSettings: Self.sendsUnlimited) { stack in
            let (room, owner, member) = try await Self.warmRoom(stack, type: "private")
            #expect(try await stack.gateway.call(.delete, "/rooms/\(room)/members/\(member.id)", token: owner.token).status == .noContent)
            let probes = try await Self.sendsAtOnce(20, in: room, as: member, stack: stack)
            #expect(probes.allSatisfy { $0.status == .notFound }, "\(probes.map(\.status.code))")
            let history = try await stack.gateway.call(.get, "/rooms/\(room)/messages", token: member.token)
            #expect(history.status == .notFound)
        }
    }

    @Test func theNextSendAfterAMuteIsRefusedAndAfterTheUnmuteAccepted() async throws {
        try await withStack(roomsSettings: Self.roomsEventsHeldBack, messagesSettings: Self.sendsUnlimited) { stack in
            let (room, owner, member) = try await Self.warmRoom(stack, type: "private")
            #expect(try await stack.gateway.call(.post, "/rooms/\(room)/members/\(member.id)/mute", token: owner.token).status == .ok)
            let probes = try await Self.sendsAtOnce(20, in: room, as: member, stack: stack)
            #expect(probes.filter { $0.status == .forbidden && $0.errorCode == "muted" }.count == 20, "\(probes.map(\.status.code))")
            #expect(try await stack.gateway.call(.delete, "/rooms/\(room)/members/\(member.id)/mute", token: owner.token).status == .ok)
            let after = try await stack.gateway.call(.post, "/rooms/\(room)/messages", json: ["content": "back"], token: member.token)
            #expect(after.status == .created)
        }
    }

    @Test func aDemotedAdminLosesModerationAtOnce() async throws {
        try await withStack(roomsSettings: Self.roomsEventsHeldBack, messagesSettings: Self.sendsUnlimited) { stack in
            let (room, owner, member) = try await Self.warmRoom(stack, type: "private")
            let admin = try await stack.gateway.register()
            #expect(try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": admin.id], token: owner.token).status == .created)
            #expect(try await stack.gateway.call(.patch, "/rooms/\(room)/members/\(admin.id)/role", json: ["role": "admin"], token: owner.token).status == .ok)
            let first = try await stack.gateway.sendMessage("first", in: room, token: member.token)
            let second = try await stack.gateway.sendMessage("second", in: room, token: member.token)
            // As an admin, they may delete anyone's message (and their standing is now cached).
            #expect(try await stack.gateway.call(.delete, "/messages/\(first)", token: admin.token).status == .noContent)
            #expect(try await stack.gateway.call(.patch, "/rooms/\(room)/members/\(admin.id)/role", json: ["role": "member"], token: owner.token).status == .ok)
            #expect(try await stack.gateway.call(.delete, "/messages/\(second)", token: admin.token).status == .forbidden)
        }
    }

    @Test func aDeletedRoomIsGoneForItsMembersAtOnce() async throws {
        try await withStack(roomsSettings: Self.roomsEventsHeldBack, messagesSettings: Self.sendsUnlimited) { stack in
            let (room, owner, member) = try await Self.warmRoom(stack, type: "private")
            #expect(try await stack.gateway.call(.delete, "/rooms/\(room)", token: owner.token).status == .noContent)
            for user in [owner, member] {
                let probe = try await stack.gateway.call(.post, "/rooms/\(room)/messages", json: ["content": "anyone?"], token: user.token)
                #expect(probe.status == .notFound)
            }
        }
    }
}
