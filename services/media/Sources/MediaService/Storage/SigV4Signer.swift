import Crypto
import Foundation

/// AWS Signature Version 4 (header-based), as S3 and S3-compatible stores check it. Checked
/// against AWS's published test suite and S3's documentation examples (`shared/vectors`).
struct SigV4Signer: Sendable {
    let accessKeyID: String
    let secretAccessKey: String
    let region: String
    let service: String
    /// Generic AWS services resolve `.`/`..` and repeated slashes before signing; S3 signs the
    /// path exactly as sent.
    var normalizesPath: Bool = false

    /// What signing produced, each step kept so tests can compare it with the vectors.
    struct Signature: Sendable {
        let canonicalRequest: String
        let stringToSign: String
        let signature: String
        let authorization: String
    }

    /// Signs a request. `path` and `query` are decoded (the signer encodes them); every header in
    /// `headers` is signed, so it must hold `host` and `x-amz-date` and be sent as given.
    func sign(
        method: String, path: String, query: [(name: String, value: String)] = [], headers: [(name: String, value: String)],
        payloadSHA256: String, at date: Date
    ) -> Signature {
        let (canonicalHeaders, signedHeaders) = Self.canonical(headers)
        let canonicalRequest = [
            method, canonicalURI(path), Self.canonicalQuery(query), canonicalHeaders, signedHeaders, payloadSHA256,
        ].joined(separator: "\n")
        let (amzDate, day) = Self.timestamps(date)
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hex(SHA256.hash(data: Data(canonicalRequest.utf8)))].joined(separator: "\n")
        let signature = Self.hex(HMAC<SHA256>.authenticationCode(for: Data(stringToSign.utf8), using: signingKey(day: day)))
        return Signature(
            canonicalRequest: canonicalRequest, stringToSign: stringToSign, signature: signature,
            authorization: "AWS4-HMAC-SHA256 Credential=\(accessKeyID)/\(scope),SignedHeaders=\(signedHeaders),Signature=\(signature)")
    }

    /// `x-amz-date`'s format (`20150830T123600Z`) and the scope's day (`20150830`).
    static func timestamps(_ date: Date) -> (amzDate: String, day: String) {
        let amzDate = date.formatted(amzDateStyle)
        return (amzDate, String(amzDate.prefix(8)))
    }

    /// ISO 8601 basic format in UTC, made once (every S3 request is signed).
    private static let amzDateStyle = Date.ISO8601FormatStyle(dateSeparator: .omitted, timeSeparator: .omitted, timeZone: .gmt)

    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        bytes.map { String(format: "%02x", $0) }.joined()
    }

    private func signingKey(day: String) -> SymmetricKey {
        var key = SymmetricKey(data: Data("AWS4\(secretAccessKey)".utf8))
        for part in [day, region, service, "aws4_request"] {
            key = SymmetricKey(data: Data(HMAC<SHA256>.authenticationCode(for: Data(part.utf8), using: key)))
        }
        return key
    }

    private func canonicalURI(_ path: String) -> String {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if normalizesPath {
            var resolved: [String] = []
            for segment in segments.dropFirst() {
                switch segment {
                case "", ".": continue
                case "..": _ = resolved.popLast()
                default: resolved.append(segment)
                }
            }
            // A trailing slash (or a path of only dots and slashes) stays.
            let trailing = path.hasSuffix("/") || path.hasSuffix("/.") || path.hasSuffix("/..")
            segments = [""] + resolved + (trailing && !resolved.isEmpty ? [""] : [])
            if resolved.isEmpty { return "/" }
        }
        let encoded = segments.map(Self.uriEncode).joined(separator: "/")
        return encoded.isEmpty ? "/" : encoded
    }

    private static func canonicalQuery(_ query: [(name: String, value: String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { (uriEncode($0.name), uriEncode($0.value)) }
        let sorted = encoded.sorted { (a, b) -> Bool in a.name == b.name ? a.value < b.value : a.name < b.name }
        return sorted.map { "\($0.name)=\($0.value)" }.joined(separator: "&")
    }

    /// Lowercased names in order, a repeated name's values joined by commas, values trimmed with
    /// inner runs of blanks made one space.
    private static func canonical(_ headers: [(name: String, value: String)]) -> (headers: String, signed: String) {
        var values: [String: [String]] = [:]
        for (name, value) in headers {
            let trimmed = value.split(whereSeparator: { $0 == " " || $0 == "\t" }).joined(separator: " ")
            values[name.lowercased(), default: []].append(trimmed)
        }
        let names = values.keys.sorted()
        let lines = names.map { "\($0):\(values[$0]!.joined(separator: ","))\n" }.joined()
        return (lines, names.joined(separator: ";"))
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 wants.
    static func uriEncode(_ text: String) -> String {
        var encoded = ""
        for byte in text.utf8 {
            if unreserved.contains(byte) {
                encoded.append(Character(Unicode.Scalar(byte)))
            } else {
                encoded += String(format: "%%%02X", byte)
            }
        }
        return encoded
    }

    private static let unreserved = Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~".utf8)
}
