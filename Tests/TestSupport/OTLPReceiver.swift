import Foundation
import Hummingbird
import Logging
import Synchronization

/// One span as an OTLP receiver got it: ids in lowercase hex, as `traceparent` writes them.
public struct ReceivedSpan: Sendable, CustomStringConvertible {
    public enum Kind: Int, Sendable {
        case unspecified, `internal`, server, client, producer, consumer
    }

    /// The exporting service's `service.name`.
    public let service: String
    public let name: String
    public let kind: Kind
    public let traceID: String
    public let spanID: String
    /// Empty for a trace's root.
    public let parentSpanID: String

    public var description: String { "\(service) \(kind) \"\(name)\" \(spanID) <- \(parentSpanID.isEmpty ? "root" : parentSpanID)" }
}

/// A small OpenTelemetry collector for tests: takes `POST /v1/traces` in OTLP/JSON, as the
/// services export when `OTEL_EXPORTER_OTLP_PROTOCOL=http/json`, and keeps the spans.
public final class OTLPReceiver: Sendable {
    private let received = Mutex<[ReceivedSpan]>([])

    public init() {}

    /// Every span received so far.
    public var spans: [ReceivedSpan] { received.withLock { $0 } }

    /// Every span received so far of the trace `traceID` (hex).
    public func spans(inTrace traceID: String) -> [ReceivedSpan] {
        received.withLock { $0.filter { $0.traceID == traceID } }
    }

    /// Receives on a free port while `body` runs; `body` gets the receiver's base URL (what
    /// `OTEL_EXPORTER_OTLP_ENDPOINT` takes).
    public func serve<T: Sendable>(_ body: @Sendable (String) async throws -> T) async throws -> T {
        let router = Router()
        router.post("/v1/traces") { [self] request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 16 << 20)
            guard let spans = Self.spans(in: Data(buffer: bytes)) else { return Response(status: .badRequest) }
            received.withLock { $0 += spans }
            // An empty `ExportTraceServiceResponse`: everything was accepted.
            return Response(status: .ok, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: "{}")))
        }
        let port = try TestEnvironment.freePort()
        let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: port)), logger: Logger(label: "otlp"))
        return try await withService(app, port: port) { try await body("http://127.0.0.1:\(port)") }
    }

    /// The spans of an `ExportTraceServiceRequest` in OTLP/JSON; nil when it is not one.
    static func spans(in body: Data) -> [ReceivedSpan]? {
        guard let root = try? JSONSerialization.jsonObject(with: body) as? [String: Any],
            let resourceSpans = root["resourceSpans"] as? [[String: Any]]
        else { return nil }
        var spans: [ReceivedSpan] = []
        for resourceSpan in resourceSpans {
            let attributes = (resourceSpan["resource"] as? [String: Any])?["attributes"] as? [[String: Any]] ?? []
            let service = attributes.first { $0["key"] as? String == "service.name" }
                .flatMap { ($0["value"] as? [String: Any])?["stringValue"] as? String } ?? ""
            for scopeSpan in resourceSpan["scopeSpans"] as? [[String: Any]] ?? [] {
                for span in scopeSpan["spans"] as? [[String: Any]] ?? [] {
                    spans.append(ReceivedSpan(
                        service: service, name: span["name"] as? String ?? "",
                        kind: (span["kind"] as? Int).flatMap(ReceivedSpan.Kind.init) ?? .unspecified,
                        traceID: hex(span["traceId"]), spanID: hex(span["spanId"]), parentSpanID: hex(span["parentSpanId"])))
                }
            }
        }
        return spans
    }

    /// An id as OTLP/JSON writes it, in hex: the specification says hex (32 or 16 digits),
    /// protobuf's own JSON mapping (which some exporters use) base64 (24 or 12 characters).
    static func hex(_ value: Any?) -> String {
        guard let text = value as? String, !text.isEmpty else { return "" }
        if [16, 32].contains(text.count), text.allSatisfy(\.isHexDigit) { return text.lowercased() }
        guard let bytes = Data(base64Encoded: text) else { return text }
        return bytes.map { String(format: "%02x", $0) }.joined()
    }
}
