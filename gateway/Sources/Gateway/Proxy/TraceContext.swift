/// W3C Trace Context (`traceparent`): keep the caller's trace id when it sent a valid header,
/// start a new trace otherwise; the gateway is a new span either way.
enum TraceContext {
    static func child(of incoming: String?) -> String {
        let traceID = incoming.flatMap(validTraceID) ?? randomHex(bytes: 16)
        return "00-\(traceID)-\(randomHex(bytes: 8))-01"
    }

    static func validTraceID(_ header: String) -> String? {
        let parts = header.split(separator: "-")
        guard parts.count == 4, parts[0].count == 2, parts[1].count == 32, parts[2].count == 16, parts[3].count == 2,
            parts.allSatisfy({ $0.allSatisfy(\.isHexDigit) }), parts[1] != String(repeating: "0", count: 32)
        else { return nil }
        return String(parts[1]).lowercased()
    }

    static func randomHex(bytes: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<bytes).map { _ in
            let byte = UInt8.random(in: 0...255, using: &generator)
            return String(byte, radix: 16).count == 1 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
        }.joined()
    }
}
