import Foundation
import HTTPTypes
import HummingbirdWSClient
import Logging
import NIOCore
import NIOPosix
import Testing
import NIOConcurrencyHelpers
import TestSupport

@Suite struct WebSocketTests {
    static let logger = Logger(label: "ws-test")

    /// Connects, collects the replies to `frames` (one reply each, after `ready`; presence frames
    /// aside), and returns them all as JSON objects, `ready` first.
    static func exchange(port: Int, token: String, frames: [String]) async throws -> [[String: Any]] {
        let collected = NIOLockedValueBox<[String]>([])
        try await withTimeout(seconds: 10) {
            try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws?token=\(token)", logger: logger) { inbound, outbound, _ in
                var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                guard case .text(let ready) = try await messages.next() else { return }
                collected.withLockedValue { $0.append(ready) }
                for frame in frames {
                    try await outbound.write(.text(frame))
                    // The user's own presence_updated (they came online) may come in between.
                    var reply: String
                    repeat {
                        guard case .text(let text) = try await messages.next() else { return }
                        reply = text
                    } while reply.contains(#""type":"presence_updated""#)
                    collected.withLockedValue { $0.append(reply) }
                }
                try await outbound.close(.normalClosure, reason: nil)
            }
        }
        return collected.withLockedValue { $0 }.map { (try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) ?? [:] }
    }

    @Test func aValidTokenGetsReadyWithTheUserThenAnswersEveryFrame() async throws {
        try await withGateway { stack in
            let user = try await stack.user()
            let frames = try await Self.exchange(port: stack.port, token: user.token, frames: [
                #"{"type":"ping","ref":"p1"}"#,
                "this is not json",
                #"{"type":"fly_to_the_moon","ref":"r2"}"#,
                #"{"data":{}}"#,
            ])
            #expect(frames.count == 5)
            #expect(frames[0]["type"] as? String == "ready")
            let ready = try #require(frames[0]["data"] as? [String: Any])
            let readyUser = try #require(ready["user"] as? [String: Any])
            #expect(readyUser["username"] as? String == user.username)
            #expect(readyUser["avatar_url"] is NSNull && readyUser["totp_enabled"] as? Bool == false)
            #expect((readyUser["created_at"] as? String)?.hasSuffix("Z") == true)
            #expect((ready["session_id"] as? String)?.isEmpty == false)
            #expect(frames[1]["type"] as? String == "pong" && frames[1]["ref"] as? String == "p1")
            #expect(frames[2]["type"] as? String == "error" && (frames[2]["data"] as? [String: Any])?["code"] as? String == "bad_request")
            #expect(frames[3]["type"] as? String == "error" && frames[3]["ref"] as? String == "r2")
            #expect((frames[3]["data"] as? [String: Any])?["code"] as? String == "unknown_type")
            #expect(frames[4]["type"] as? String == "error")
        }
    }

    @Test func theBearerHeaderWorksToo() async throws {
        try await withGateway { stack in
            let user = try await stack.user()
            let received = NIOLockedValueBox<String?>(nil)
            try await withTimeout(seconds: 10) {
                var configuration = WebSocketClientConfiguration()
                configuration.additionalHeaders = [.authorization: "Bearer \(user.token)"]
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(stack.port)/ws", configuration: configuration, logger: Self.logger) { inbound, outbound, _ in
                    var messages = inbound.messages(maxSize: 1 << 16).makeAsyncIterator()
                    if case .text(let text) = try await messages.next() { received.withLockedValue { $0 = text } }
                    try await outbound.close(.normalClosure, reason: nil)
                }
            }
            #expect(received.withLockedValue { $0 }?.contains(#""type":"ready""#) == true)
        }
    }

    @Test(arguments: ["", "?token=not-a-token"])
    func theHandshakeIsRefusedWith401WithoutAValidToken(query: String) async throws {
        try await withGateway { stack in
            let reply = try await stack.gateway.call(.get, "/ws" + query, headers: [
                .connection: "Upgrade", .upgrade: "websocket",
                .secWebSocketKey: "dGhlIHNhbXBsZSBub25jZQ==", .secWebSocketVersion: "13",
            ])
            #expect(reply.status == .unauthorized)
            #expect(reply.errorCode == "unauthorized")
            await #expect(throws: (any Error).self) {
                try await WebSocketClient.connect(url: "ws://127.0.0.1:\(stack.port)/ws\(query)", logger: Self.logger) { _, _, _ in
                    Issue.record("no socket may open")
                }
            }
        }
    }

    @Test func aPeerThatStopsAnsweringPingsIsDropped() async throws {
        try await withGateway(settings: ["WS_PING_SECONDS": "1"]) { stack in
            let user = try await stack.user()
            let opcodes = try await withTimeout(seconds: 20) {
                try await RawWebSocket.opcodesUntilClosed(port: stack.port, token: user.token)
            }
            // A ping may come first when loading the session is slow.
            #expect(opcodes.first { $0 != 0x9 } == 0x1, "the ready frame")
            #expect(opcodes.contains(0x9), "the server pinged")
            #expect(opcodes.last == 0x8, "and closed the silent peer")
        }
    }
}

/// A WebSocket client that completes the handshake and then never answers anything, like a peer
/// whose network vanished.
enum RawWebSocket {
    static func opcodesUntilClosed(port: Int, token: String) async throws -> [UInt8] {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port) { channel in
                channel.eventLoop.makeCompletedFuture { try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel) }
            }
        var received = ByteBuffer()
        try await channel.executeThenClose { inbound, outbound in
            try await outbound.write(ByteBuffer(string: StalledSocket.handshake(token: token)))
            for try await chunk in inbound { received.writeImmutableBuffer(chunk) }
        }
        let bytes = Array(received.readableBytesView)
        let text = String(decoding: bytes, as: UTF8.self)
        guard text.hasPrefix("HTTP/1.1 101"), let headerEnd = text.range(of: "\r\n\r\n") else {
            throw TestFailure("no upgrade: \(text.prefix(200))")
        }
        // Server frames are unmasked: opcode in byte 0, length in byte 1 (with 16/64-bit forms).
        var index = text.utf8.distance(from: text.utf8.startIndex, to: headerEnd.upperBound)
        var opcodes: [UInt8] = []
        while index + 2 <= bytes.count {
            opcodes.append(bytes[index] & 0x0F)
            var length = Int(bytes[index + 1] & 0x7F)
            var offset = 2
            if length == 126 {
                length = Int(bytes[index + 2]) << 8 | Int(bytes[index + 3])
                offset = 4
            } else if length == 127 {
                length = (0..<8).reduce(0) { $0 << 8 | Int(bytes[index + 2 + $1]) }
                offset = 10
            }
            index += offset + length
        }
        return opcodes
    }
}
