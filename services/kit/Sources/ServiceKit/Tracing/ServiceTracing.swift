import Logging
import OTel
import ServiceLifecycle
import Tracing

/// Where a service's spans go: an OpenTelemetry collector, over OTLP/HTTP
/// (`OTEL_EXPORTER_OTLP_ENDPOINT`). The standard `OTEL_*` variables (sampler, batch sizes, headers)
/// apply on top, read by swift-otel.
public struct TracingSettings: Sendable {
    /// The collector's base URL: spans are posted to `<endpoint>/v1/traces`.
    public var endpoint: String
    /// OTLP's JSON encoding instead of protobuf (`OTEL_EXPORTER_OTLP_PROTOCOL=http/json`).
    public var json: Bool
    /// How long a finished span may wait to be exported with others (`OTEL_BSP_SCHEDULE_DELAY`, ms).
    public var exportDelay: Duration

    public init(endpoint: String, json: Bool = false, exportDelay: Duration = .seconds(5)) {
        self.endpoint = endpoint
        self.json = json
        self.exportDelay = exportDelay
    }
}

/// A service's tracer, made once by its composition root: it starts the spans of every request the
/// service answers, every call it makes to a peer and every event it relays or consumes, and
/// exports them in the background (`service`, for the application's service group). Without
/// settings, tracing is off: spans cost next to nothing and go nowhere.
public struct ServiceTracing: Sendable {
    public let tracer: any Tracer
    /// The exporter's background work; nil when tracing is off.
    public let service: (any Service)?

    public static let off = ServiceTracing(tracer: NoOpTracer(), service: nil)

    init(tracer: any Tracer, service: (any Service)?) {
        self.tracer = tracer
        self.service = service
    }

    /// Tracing for `serviceName` (the spans' `service.name`), exported as `settings` say.
    public init(serviceName: String, settings: TracingSettings?, logger: Logger) throws {
        guard let settings else {
            self = .off
            return
        }
        var configuration = OTel.Configuration.default
        configuration.serviceName = serviceName
        configuration.diagnosticLogger = .custom(logger)
        configuration.diagnosticLogLevel = .warning
        configuration.metrics.enabled = false
        configuration.logs.enabled = false
        configuration.traces.exporter = .otlp
        configuration.traces.otlpExporter.protocol = settings.json ? .httpJSON : .httpProtobuf
        configuration.traces.otlpExporter.endpoint = settings.endpoint.trimmingSuffix("/") + "/v1/traces"
        configuration.traces.batchSpanProcessor.scheduleDelay = settings.exportDelay
        let backend = try OTel.makeTracingBackend(configuration: configuration)
        self.init(tracer: backend.factory, service: backend.service)
    }
}

extension ServiceConfig {
    /// This service's tracing, as its configuration says.
    public func tracing(logger: Logger) throws -> ServiceTracing {
        try ServiceTracing(serviceName: serviceName, settings: tracingSettings, logger: logger)
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : self
    }
}
