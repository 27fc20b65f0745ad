import HTTPTypes
import NIOHTTP1
import Tracing

// Where a trace context travels (W3C `traceparent` and `tracestate`): the header fields of
// Hummingbird's requests and of OpenAPI clients, AsyncHTTPClient's headers, and an event's
// `trace_parent`. A malformed `traceparent` is not handed to the tracer at all: it would log a
// warning for each, and anyone can send one to the gateway.

struct HTTPFieldsExtractor: Extractor {
    func extract(key: String, from fields: HTTPFields) -> String? {
        let value = HTTPField.Name(key).flatMap { fields[$0] }
        return key == TraceParentCarrier.key ? value.flatMap(wellFormed) : value
    }
}

/// `traceParent` when it is a W3C `traceparent` (`00-<32 hex>-<16 hex>-<2 hex>`, ids not all zero).
private func wellFormed(_ traceParent: String) -> String? {
    let parts = traceParent.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.map(\.count) == [2, 32, 16, 2], parts.allSatisfy({ $0.allSatisfy(\.isHexDigit) }),
        parts[0] != "ff", parts[1].contains(where: { $0 != "0" }), parts[2].contains(where: { $0 != "0" })
    else { return nil }
    return traceParent
}

struct HTTPFieldsInjector: Injector {
    func inject(_ value: String, forKey key: String, into fields: inout HTTPFields) {
        guard let name = HTTPField.Name(key) else { return }
        fields[name] = value
    }
}

struct NIOHeadersInjector: Injector {
    func inject(_ value: String, forKey key: String, into headers: inout HTTPHeaders) {
        headers.replaceOrAdd(name: key, value: value)
    }
}

/// An event carries its trace as one `traceparent` string: `tracestate` is left behind.
private struct TraceParentCarrier: Extractor, Injector {
    static let key = "traceparent"

    func extract(key: String, from traceParent: String?) -> String? {
        key == Self.key ? traceParent.flatMap(wellFormed) : nil
    }

    func inject(_ value: String, forKey key: String, into traceParent: inout String?) {
        if key == Self.key { traceParent = value }
    }
}

extension Tracer {
    /// `context`'s W3C `traceparent`; nil when nothing is traced (tracing off, or not sampled in).
    public func traceParent(of context: InstrumentationContext) -> String? {
        var traceParent: String?
        inject(context, into: &traceParent, using: TraceParentCarrier())
        return traceParent
    }

    /// The context that continues the trace of `traceParent` (top level when there is none, or it
    /// is malformed).
    public func context(continuing traceParent: String?) -> InstrumentationContext {
        var context = InstrumentationContext.topLevel
        if traceParent != nil { extract(traceParent, into: &context, using: TraceParentCarrier()) }
        return context
    }

    /// Adds `context`'s trace headers to an outgoing AsyncHTTPClient request.
    public func inject(_ context: InstrumentationContext, into headers: inout HTTPHeaders) {
        inject(context, into: &headers, using: NIOHeadersInjector())
    }
}
