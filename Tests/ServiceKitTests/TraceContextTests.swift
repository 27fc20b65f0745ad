import Foundation
import Logging
import ServiceKit
import Testing
import Tracing

/// How a trace crosses what is not a request: an event's `trace_parent`, written by the outbox and
/// the relay, read by the consumer's receiver.
@Suite struct TraceContextTests {
    static let tracer = try! ServiceTracing(
        serviceName: "test", settings: TracingSettings(endpoint: "http://127.0.0.1:1"), logger: Logger(label: "tracing")).tracer

    @Test func aSpanContinuingATraceParentKeepsItsTraceAndIsItsChild() {
        let traceID = "4bf92f3577b34da6a3ce929d0e0e4736"
        let parent = Self.tracer.context(continuing: "00-\(traceID)-00f067aa0ba902b7-01")
        let span = Self.tracer.startSpan("child", context: parent)
        defer { span.end() }
        let written = Self.tracer.traceParent(of: span.context)?.split(separator: "-").map(String.init)
        #expect(written?.count == 4)
        #expect(written?[1] == traceID)
        #expect(written?[2] != "00f067aa0ba902b7" && written?[2].count == 16)
    }

    @Test(arguments: [nil, "", "garbage", "00-00000000000000000000000000000000-00f067aa0ba902b7-01", "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7"])
    func aMissingOrMalformedTraceParentStartsANewTrace(_ traceParent: String?) {
        let span = Self.tracer.startSpan("root", context: Self.tracer.context(continuing: traceParent))
        defer { span.end() }
        let written = Self.tracer.traceParent(of: span.context)
        #expect(written != nil)
        #expect(written?.contains("4bf92f3577b34da6a3ce929d0e0e4736") == false)
    }

    @Test func withTracingOffNothingIsCarried() {
        let off = ServiceTracing.off.tracer
        let span = off.startSpan("nothing", context: off.context(continuing: "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"))
        #expect(off.traceParent(of: span.context) == nil)
    }

    /// What the relay writes (its JSON text, around the stored payload) is what a receiver reads.
    @Test(arguments: [nil, "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"])
    func anEventCarriesItsTraceParentThroughTheWire(_ traceParent: String?) throws {
        let event = Event(
            id: UUID.v7(), type: "message_created", stream: "room", occurredAt: Date(timeIntervalSince1970: 1_700_000_000),
            data: .object(["content": .string("hi")]), traceParent: traceParent)
        #expect(event.jsonText.contains("trace_parent") == (traceParent != nil))
        let read = try EventBatch.parse(Data((#"{"events":["# + event.jsonText + "]}").utf8))
        #expect(read.events == [event])
    }
}
