import Foundation
import ServiceKit
import StackSupport
import Testing
import TestSupport

/// The frames a client sends, through the whole stack: join and leave, typing, sending and reading
/// messages (the REST rules of messages apply), resuming from the replay buffer.
@Suite struct SocketJourneyTests {
    /// A private room of `owner` with `members` added, through the gateway.
    private func room(_ stack: Stack, owner: (token: String, id: String, username: String), members: [String]) async throws -> String {
        let room = try #require(try await stack.gateway.call(.post, "/rooms", json: ["name": "Sockets", "type": "private"], token: owner.token)["id"] as? String)
        for member in members {
            #expect(try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": member], token: owner.token).status == .created)
        }
        return room
    }

    @Test func sendMessageAndReadMessageFollowTheRESTRules() async throws {
        try await withStack { stack in
            let owner = try await stack.gateway.register()
            let bob = try await stack.gateway.register()
            let room = try await room(stack, owner: owner, members: [bob.id])
            let ownerSocket = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            let bobSocket = try await LiveSocket(port: stack.gatewayPort, token: bob.token)

            let ack = try await ownerSocket.request("send_message", ["room_id": room, "content": "over the socket", "client_id": "ws-1"])
            #expect(ack["type"] as? String == "ack")
            let stored = try #require(ack["data"] as? [String: Any])
            let id = try #require(stored["id"] as? String)
            #expect(stored["content"] as? String == "over the socket" && stored["room_id"] as? String == room)
            try await bobSocket.waitFor("message_created") { ($0["message"] as? [String: Any])?["id"] as? String == id }
            // The same client_id again returns the original.
            let repeated = try await ownerSocket.request("send_message", ["room_id": room, "content": "over the socket", "client_id": "ws-1"])
            #expect((repeated["data"] as? [String: Any])?["id"] as? String == id)

            let invalid = try await ownerSocket.request("send_message", ["room_id": room, "content": ""])
            let error = try #require(invalid["data"] as? [String: Any])
            #expect(invalid["type"] as? String == "error" && error["code"] as? String == "validation_failed")
            #expect((error["details"] as? [String: Any])?["field"] as? String == "content")
            let elsewhere = try await ownerSocket.request("send_message", ["room_id": UUID().uuidString, "content": "hi"])
            #expect((elsewhere["data"] as? [String: Any])?["code"] as? String == "not_found")
            let noRoom = try await ownerSocket.request("send_message", ["content": "hi"])
            #expect(((noRoom["data"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "room_id")

            let read = try await bobSocket.request("read_message", ["message_id": id])
            #expect((read["data"] as? [String: Any])?["unread_count"] as? Int == 0)
            try await ownerSocket.waitFor("message_read") { $0["user_id"] as? String == bob.id && $0["message_id"] as? String == id }
            let messages = try await stack.gateway.call(.get, "/rooms/\(room)/messages", token: owner.token)["messages"] as? [[String: Any]]
            #expect(messages?.filter { $0["type"] as? String != "system" }.count == 1)
            await ownerSocket.close()
            await bobSocket.close()
        }
    }

    @Test func typingReachesTheOthersAndExpiresAfterFiveSeconds() async throws {
        let clock = TestClock()
        try await withStack(gatewayClock: clock.wallClock) { stack in
            clock.set()
            let owner = try await stack.gateway.register()
            let bob = try await stack.gateway.register()
            let room = try await room(stack, owner: owner, members: [bob.id])
            let ownerSocket = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            let bobSocket = try await LiveSocket(port: stack.gatewayPort, token: bob.token)

            let early = try await bobSocket.request("typing_start", ["room_id": room])
            #expect((early["data"] as? [String: Any])?["code"] as? String == "room_not_joined")
            #expect(try await bobSocket.request("join_room", ["room_id": UUID().uuidString])["type"] as? String == "error")
            #expect(try await bobSocket.request("join_room", ["room_id": room])["type"] as? String == "ack")

            #expect(try await bobSocket.request("typing_start", ["room_id": room])["type"] as? String == "ack")
            try await ownerSocket.waitFor("user_typing") { $0["user_id"] as? String == bob.id && $0["typing"] as? Bool == true }
            clock.advance(by: 5)
            try await ownerSocket.waitFor("user_typing") { $0["user_id"] as? String == bob.id && $0["typing"] as? Bool == false }
            try await bobSocket.ping()
            #expect(bobSocket.received("user_typing").isEmpty)

            // typing_stop ends it and typing_start starts it again, each change held until 2 s
            // after the one before; sending ends it at once.
            try await bobSocket.request("typing_start", ["room_id": room])
            clock.advance(by: 2)
            try await eventually { ownerSocket.received("user_typing").count == 3 }
            try await bobSocket.request("typing_stop", ["room_id": room])
            clock.advance(by: 2)
            try await eventually { ownerSocket.received("user_typing").count == 4 }
            try await bobSocket.request("typing_start", ["room_id": room])
            clock.advance(by: 2)
            try await eventually { ownerSocket.received("user_typing").count == 5 }
            try await bobSocket.request("send_message", ["room_id": room, "content": "done typing"])
            try await eventually { ownerSocket.received("user_typing").count == 6 }
            #expect(ownerSocket.received("user_typing").map { ($0["data"] as? [String: Any])?["typing"] as? Bool } == [true, false, true, false, true, false])
            await ownerSocket.close()
            await bobSocket.close()
        }
    }

    @Test func resumeReplaysWhatWasMissedExactlyOnce() async throws {
        try await withStack { stack in
            let owner = try await stack.gateway.register()
            let bob = try await stack.gateway.register()
            let room = try await room(stack, owner: owner, members: [bob.id])
            func send(_ text: String) async throws -> String {
                try #require(try await stack.gateway.call(.post, "/rooms/\(room)/messages", json: ["content": text], token: owner.token)["id"] as? String)
            }
            let first = try await LiveSocket(port: stack.gatewayPort, token: bob.token)
            let seen = try await send("before")
            let lastEvent = try #require(try await first.waitFor("message_created") { ($0["message"] as? [String: Any])?["id"] as? String == seen }["event_id"] as? String)
            await first.close()

            var missed: [String] = []
            for index in 1...3 { missed.append(try await send("while away \(index)")) }
            let second = try await LiveSocket(port: stack.gatewayPort, token: bob.token)
            // One arrives live before the client asks to resume: it must not come twice.
            let live = try await send("just after reconnecting")
            missed.append(live)
            try await second.waitFor("message_created") { ($0["message"] as? [String: Any])?["id"] as? String == live }
            let ack = try await second.request("resume", ["last_event_id": lastEvent])
            #expect((ack["data"] as? [String: Any])?["refetch_room_ids"] as? [String] == [])
            let expected = Set(missed)
            try await eventually("not every missed message arrived") {
                Set(second.received("message_created").compactMap { (($0["data"] as? [String: Any])?["message"] as? [String: Any])?["id"] as? String })
                    == expected
            }
            let after = try await send("after resuming")
            try await second.waitFor("message_created") { ($0["message"] as? [String: Any])?["id"] as? String == after }
            let ids = second.received("message_created").compactMap { (($0["data"] as? [String: Any])?["message"] as? [String: Any])?["id"] as? String }
            #expect(ids.count == Set(ids).count && Set(ids) == Set(missed + [after]))
            await second.close()
        }
    }

    @Test func aResumeBeyondTheBufferIsToldToRefetch() async throws {
        try await withStack(gatewaySettings: ["REPLAY_BUFFER_EVENTS": "2"]) { stack in
            let owner = try await stack.gateway.register()
            let room = try await room(stack, owner: owner, members: [])
            let socket = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            _ = try await stack.gateway.call(.post, "/rooms/\(room)/messages", json: ["content": "seen"], token: owner.token)
            let lastEvent = try #require(try await socket.waitFor("message_created")["event_id"] as? String)
            // Another tab stays: once the last message reaches it, the gateway has buffered them all.
            let otherTab = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            await socket.close()
            for index in 1...3 { _ = try await stack.gateway.call(.post, "/rooms/\(room)/messages", json: ["content": "\(index)"], token: owner.token) }
            try await otherTab.waitFor("message_created") { ($0["message"] as? [String: Any])?["content"] as? String == "3" }
            await otherTab.close()
            let again = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            let ack = try await again.request("resume", ["last_event_id": lastEvent])
            #expect((ack["data"] as? [String: Any])?["refetch_room_ids"] as? [String] == [room])
            try await again.waitFor("refetch_required") { $0["room_id"] as? String == room }
            await again.close()
        }
    }

    @Test func textPostgresCannotStoreComesBackAsTheRESTErrorAndBadFramesAsCleanErrors() async throws {
        try await withStack { stack in
            let owner = try await stack.gateway.register()
            let room = try await room(stack, owner: owner, members: [])
            let socket = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            func failure(_ reply: [String: Any]) -> (String?, String?) {
                let data = reply["data"] as? [String: Any]
                return (data?["code"] as? String, (data?["details"] as? [String: Any])?["field"] as? String)
            }
            let nul = try await socket.request("send_message", ["room_id": room, "content": "before\u{0}after"])
            #expect(nul["type"] as? String == "error" && failure(nul) == ("validation_failed", "content"))
            let badType = try await socket.request("typing\u{0}start", ["room_id": room])
            #expect(badType["type"] as? String == "error" && failure(badType) == ("validation_failed", "type"))
            let badRoom = try await socket.request("join_room", ["room_id": "\u{0}\(room)"])
            #expect(failure(badRoom) == ("validation_failed", "room_id"))
            let badMessage = try await socket.request("read_message", ["message_id": "\u{0}"])
            #expect(failure(badMessage) == ("validation_failed", "message_id"))
            // The socket is fine afterwards, and nothing was stored.
            #expect(try await socket.request("join_room", ["room_id": room])["type"] as? String == "ack")
            let messages = try await stack.gateway.call(.get, "/rooms/\(room)/messages", token: owner.token)["messages"] as? [[String: Any]]
            #expect(messages?.filter { $0["type"] as? String != "system" }.isEmpty == true)
            await socket.close()
        }
    }

    @Test func aRoomsBufferIsBoundedInBytesAndAnOversizedEventIsNeverKept() async throws {
        try await withStack(gatewaySettings: ["REPLAY_BUFFER_BYTES": "4096"], messagesSettings: ["SEND_RATE_LIMIT": "1000"]) { stack in
            let owner = try await stack.gateway.register()
            let room = try await room(stack, owner: owner, members: [])
            let watcher = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            func eventID(of message: String) async throws -> String {
                try #require(try await watcher.waitFor("message_created") { ($0["message"] as? [String: Any])?["id"] as? String == message }["event_id"] as? String)
            }
            func resume(after event: String) async throws -> [String: Any] {
                let socket = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
                let reply = try await socket.request("resume", ["last_event_id": event])
                await socket.close()
                return try #require(reply["data"] as? [String: Any])
            }
            let seen = try await eventID(of: try await stack.gateway.sendMessage("seen", in: room, token: owner.token))
            // Its content and HTML alone pass 4096 bytes: the room's buffer cannot hold it.
            let big = try await eventID(of: try await stack.gateway.sendMessage(String(repeating: "x", count: 3000), in: room, token: owner.token))
            #expect(try await resume(after: seen)["refetch_room_ids"] as? [String] == [room])
            // What came after it is kept and replayed.
            _ = try await eventID(of: try await stack.gateway.sendMessage("small", in: room, token: owner.token))
            let afterBig = try await resume(after: big)
            #expect(afterBig["replayed"] as? Int == 1 && afterBig["refetch_room_ids"] as? [String] == [])
            // Several small ones push the oldest out by bytes long before the count (1000) is reached.
            var last = big
            for index in 0..<12 { last = try await eventID(of: try await stack.gateway.sendMessage("filler \(index) " + String(repeating: "y", count: 300), in: room, token: owner.token)) }
            #expect(try await resume(after: big)["refetch_room_ids"] as? [String] == [room])
            #expect(try await resume(after: last)["replayed"] as? Int == 0)
            // Every key of the room's buffer, and the user's socket quota, expire.
            let redis = RedisClient(settings: try await TestEnvironment.redisSettings())
            let keys = [
                "{gateway}:room-events:\(room)", "{gateway}:room-events-bytes:\(room)", "{gateway}:room-events-floor:\(room)",
                "{gateway}:room-events-last:\(room)", "gateway:sockets:\(owner.id)",
            ]
            for key in keys { #expect((try await redis.send("TTL", key).int ?? -2) > 0, "\(key)") }
            await watcher.close()
        }
    }
}
