import Foundation
import HTTPTypes
import StackSupport
import Testing
import TestSupport

/// A message sent through the gateway is one trace, as an OpenTelemetry collector receives it
/// from every process: the caller's span, the gateway's, messages' (and its call to rooms), and
/// across the outbox relay each consumer's handling of `message_created`.
@Suite struct TracingJourneyTests {
    /// Who subscribes to messages' events (compose/up, and `withStack`).
    static let messageConsumers = ["gateway", "rooms", "media", "search", "notify"]

    /// Runs `body` with a stack exporting its spans to `receiver`, and a public room `room` of `alice`'s.
    static func withTracedRoom(
        _ body: @escaping @Sendable (_ stack: Stack, _ receiver: OTLPReceiver, _ alice: (token: String, id: String, username: String), _ room: String) async throws -> Void
    ) async throws {
        let receiver = OTLPReceiver()
        try await receiver.serve { endpoint in
            try await withStack(tracesTo: endpoint) { stack in
                let alice = try await stack.gateway.register()
                let created = try await stack.gateway.call(.post, "/rooms", json: ["name": "Traced", "type": "public"], token: alice.token)
                try await body(stack, receiver, alice, try #require(created["id"] as? String))
            }
        }
    }

    @Test func aSentMessageIsOneTraceFromTheGatewayAcrossTheRelayToEveryConsumer() async throws {
        try await Self.withTracedRoom { stack, receiver, alice, room in
            let traceID = Self.randomHex(bytes: 16)
            let callerSpanID = Self.randomHex(bytes: 8)
            let sent = try await stack.gateway.call(
                .post, "/rooms/\(room)/messages", json: ["content": "follow me"], token: alice.token,
                headers: [HTTPField.Name("traceparent")!: "00-\(traceID)-\(callerSpanID)-01"])
            #expect(sent.status == .created)

            // Each process exports on its own: the trace is whole once every consumer's span
            // came and no span's parent is missing. Then it is one tree, rooted at the caller's span.
            try await eventually(seconds: 15, "the trace never came whole: \(receiver.spans(inTrace: traceID))") {
                let trace = Trace(spans: receiver.spans(inTrace: traceID))
                let consumers = Set(trace.spans.filter { $0.kind == .consumer }.map(\.service))
                return consumers.isSuperset(of: Self.messageConsumers)
                    && trace.spans.allSatisfy { $0.parentSpanID == callerSpanID || trace.byID[$0.parentSpanID] != nil }
            }
            let trace = Trace(spans: receiver.spans(inTrace: traceID))
            let all: Comment = "\(trace.spans)"

            let gateway = try #require(trace.spans.first { $0.service == "gateway" && $0.kind == .server }, all)
            #expect(gateway.parentSpanID == callerSpanID)
            #expect(gateway.name.hasPrefix("POST "), all)

            // Messages answered the gateway's call, and asked rooms whether alice may send.
            let messages = try #require(trace.spans.first { $0.service == "messages" && $0.kind == .server }, all)
            let caller = trace.parent(of: messages)
            #expect(caller?.service == "gateway" && caller?.kind == .client, all)
            let rooms = try #require(trace.spans.first { $0.service == "rooms" && $0.kind == .server }, all)
            #expect(trace.ancestors(of: rooms).contains { $0.spanID == messages.spanID }, all)

            // Across the outbox: each consumer's span is the child of the relay's delivery to
            // it, itself a descendant of the request that wrote the message.
            for consumer in Self.messageConsumers {
                let processed = try #require(
                    trace.spans.first { $0.service == consumer && $0.kind == .consumer && $0.name == "message_created process" }, all)
                let delivery = try #require(trace.parent(of: processed), all)
                #expect(delivery.service == "messages" && delivery.kind == .producer && delivery.name == "message_created send", all)
                #expect(trace.ancestors(of: delivery).contains { $0.spanID == messages.spanID }, all)
            }
        }
    }

    /// A frame on a socket has no `traceparent`: the gateway's span for it starts the trace, and
    /// messages' span for the send it makes is part of it.
    @Test func aMessageSentOverTheSocketIsOneTraceToo() async throws {
        try await Self.withTracedRoom { stack, receiver, alice, room in
            let socket = try await LiveSocket(port: stack.gatewayPort, token: alice.token)
            let ack = try await socket.request("send_message", ["room_id": room, "content": "over the socket"])
            #expect(ack["type"] as? String == "ack")

            try await eventually(seconds: 15, "no whole trace of the frame: \(receiver.spans)") {
                guard let frame = receiver.spans.first(where: { $0.service == "gateway" && $0.name == "WS send_message" }) else { return false }
                let trace = Trace(spans: receiver.spans(inTrace: frame.traceID))
                return trace.spans.contains { span in
                    span.service == "messages" && span.kind == .server && trace.ancestors(of: span).contains { $0.spanID == frame.spanID }
                }
            }
            await socket.close()
        }
    }

    static func randomHex(bytes: Int) -> String {
        (0..<bytes).map { _ in String(format: "%02x", UInt8.random(in: 0...255)) }.joined()
    }
}

/// The spans of one trace, linked by their parents.
private struct Trace {
    let spans: [ReceivedSpan]
    let byID: [String: ReceivedSpan]

    init(spans: [ReceivedSpan]) {
        self.spans = spans
        self.byID = Dictionary(spans.map { ($0.spanID, $0) }) { first, _ in first }
    }

    func parent(of span: ReceivedSpan) -> ReceivedSpan? { byID[span.parentSpanID] }

    /// Parent, grandparent, ... up to the first span whose parent is not in the trace.
    func ancestors(of span: ReceivedSpan) -> [ReceivedSpan] {
        var chain: [ReceivedSpan] = []
        var current = span
        while let parent = parent(of: current), chain.count < spans.count {
            chain.append(parent)
            current = parent
        }
        return chain
    }
}
