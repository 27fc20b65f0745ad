import Hummingbird
import Metrics
import Prometheus

/// Prometheus metrics of the process: request counts and latency histograms per route come from
/// Hummingbird's `MetricsMiddleware`; `/metrics` renders them in the text format.
public enum ServiceMetrics {
    /// Bootstrapped on first use; the metrics system can be bootstrapped once per process.
    public static let registry: PrometheusCollectorRegistry = {
        let registry = PrometheusCollectorRegistry()
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
        return registry
    }()

    static func render() -> Response {
        Response(
            status: .ok, headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(bytes: registry.emitToBuffer()))
        )
    }
}
