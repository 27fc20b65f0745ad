import Foundation
import HTTPTypes
import ServiceKit
import StackSupport
import Testing
import TestSupport

/// The whole stack on a three-node Redis Cluster: every service's use of Redis (revocations,
/// session activity, rate limits, the login throttle, presence, the socket quota, the gateways'
/// event intake and replay buffers, messages' caches, access epochs) works when keys live on
/// different nodes.
@Suite struct RedisClusterJourneyTests {
    @Test func aDayOfChatWorksOnARedisCluster() async throws {
        try await withStack(redisCluster: true) { stack in
            let owner = try await stack.gateway.register()
            let member = try await stack.gateway.register()
            let room = try #require(try await stack.gateway.call(.post, "/rooms", json: ["name": "Clustered", "type": "private"], token: owner.token)["id"] as? String)
            #expect(try await stack.gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": member.id], token: owner.token).status == .created)

            // Presence and the socket quota; a message sent live and through REST; read receipts.
            let socket = try await LiveSocket(port: stack.gatewayPort, token: member.token)
            let ownerSocket = try await LiveSocket(port: stack.gatewayPort, token: owner.token)
            #expect(try await stack.gateway.call(.patch, "/users/me", json: ["status": "busy"], token: owner.token).status == .ok)
            try await socket.waitFor("presence_updated") { $0["user_id"] as? String == owner.id && $0["status"] as? String == "busy" }
            let sent = try await stack.gateway.sendMessage("hello @\(member.username)", in: room, token: owner.token)
            try await socket.waitFor("message_created") { ($0["message"] as? [String: Any])?["id"] as? String == sent }
            let reply = try await socket.request("send_message", ["room_id": room, "content": "hi back"])
            let replyID = try #require((reply["data"] as? [String: Any])?["id"] as? String)
            let history = try await stack.gateway.call(.get, "/rooms/\(room)/messages", token: owner.token)
            #expect((history["messages"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.suffix(2) == [sent, replyID])
            #expect(try await stack.gateway.call(.post, "/messages/\(replyID)/read", token: owner.token).status.code < 300)

            await ownerSocket.close()

            // A resume replays from the gateways' buffer.
            let before = try #require(try await socket.waitFor("message_created")["event_id"] as? String)
            await socket.close()
            _ = try await stack.gateway.sendMessage("while you were away", in: room, token: owner.token)
            let back = try await LiveSocket(port: stack.gatewayPort, token: member.token)
            let resumed = try await back.request("resume", ["last_event_id": before])
            #expect((resumed["data"] as? [String: Any])?["replayed"] as? Int ?? 0 >= 1)

            // The mention reached notify; search found the message.
            try await eventually("the mention was not notified") {
                let notifications = try await stack.gateway.call(.get, "/notifications", token: member.token)
                return (notifications["notifications"] as? [[String: Any]])?.contains { $0["message_id"] as? String == sent } == true
            }
            try await eventually("search did not find the message") {
                let found = try await stack.gateway.call(.get, "/search?q=hello", token: member.token)
                return (found["results"] as? [[String: Any]])?.count == 1
            }

            // Signing out revokes the token everywhere, and closes its socket.
            #expect(try await stack.gateway.call(.post, "/auth/logout", token: member.token).status == .noContent)
            #expect(try await back.closedByServer().code == 4001)
            #expect(try await stack.gateway.call(.get, "/auth/me", token: member.token).status == .unauthorized)
        }
        // No command anywhere (a best-effort one included, whose error nobody sees) used keys of
        // different slots.
        for port in try await TestRedisCluster.shared.start() {
            let node = RedisClient(settings: RedisSettings(host: "127.0.0.1", port: port, password: nil), connections: 1)
            let errors = try await node.send("INFO", "errorstats").string ?? ""
            #expect(!errors.contains("CROSSSLOT"), "\(errors)")
        }
    }
}
