import Foundation
import Testing
import Crypto

@testable import MediaService

/// The signer against AWS's Signature V4 test suite and S3's documentation examples
/// (`shared/vectors`): canonical request, string to sign and Authorization, byte for byte.
@Suite struct SigV4VectorTests {
    static let vectors = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../shared/vectors").standardized

    /// Every case folder of the generic suite (31, the normalize-path and STS ones included).
    static func suiteCases() throws -> [URL] {
        let root = vectors.appendingPathComponent("aws-sig-v4-test-suite")
        let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        return enumerator.compactMap { $0 as? URL }.filter { $0.pathExtension == "req" }.sorted { $0.path < $1.path }
    }

    @Test func theGenericSuitePassesEveryCase() throws {
        let cases = try Self.suiteCases()
        #expect(cases.count == 31)
        let date = try #require(ISO8601DateFormatter().date(from: "2015-08-30T12:36:00Z"))
        for requestFile in cases {
            let base = requestFile.deletingPathExtension()
            let request = try RawRequest(String(contentsOf: requestFile, encoding: .utf8))
            // The generic suite signs for service "service", which normalizes paths (S3 does not).
            let signer = SigV4Signer(
                accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", region: "us-east-1",
                service: "service", normalizesPath: true)
            let signed = signer.sign(
                method: request.method, path: request.path, query: request.query, headers: request.headers,
                payloadSHA256: SigV4Signer.hex(Crypto.SHA256.hash(data: Data(request.body.utf8))), at: date)
            let name = base.lastPathComponent
            #expect(signed.canonicalRequest == (try String(contentsOf: base.appendingPathExtension("creq"), encoding: .utf8)), "\(name)")
            #expect(signed.stringToSign == (try String(contentsOf: base.appendingPathExtension("sts"), encoding: .utf8)), "\(name)")
            // The suite writes ", " between the Authorization parts; S3's examples (and this signer) ",".
            let authorization = try String(contentsOf: base.appendingPathExtension("authz"), encoding: .utf8)
            #expect(signed.authorization == authorization.replacingOccurrences(of: ", ", with: ","), "\(name)")
        }
    }

    struct S3Examples: Decodable {
        struct Case: Decodable {
            let id: String
            let method: String
            let path: String
            let query: String
            let headers: [String: String]
            let payload: String
            let canonicalRequest: String
            let stringToSign: String
            let authorization: String?
        }
        let cases: [Case]
    }

    @Test func s3DocumentationExamplesSignAlike() throws {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let examples = try decoder.decode(
            S3Examples.self, from: Data(contentsOf: Self.vectors.appendingPathComponent("aws-s3-sigv4-doc-examples/s3-doc-examples.json")))
        let signer = SigV4Signer(
            accessKeyID: "AKIAIOSFODNN7EXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", region: "us-east-1", service: "s3")
        let date = try #require(ISO8601DateFormatter().date(from: "2013-05-24T00:00:00Z"))
        // Header-based signing only: the presigned-URL example is a different flow, unused here.
        let headerCases = examples.cases.filter { $0.authorization != nil }
        #expect(headerCases.count == 4)
        for example in headerCases {
            let signed = signer.sign(
                method: example.method, path: example.path, query: RawRequest.parseQuery(example.query),
                headers: example.headers.map { (name: $0.key, value: $0.value) }, payloadSHA256: example.headers["x-amz-content-sha256"]!, at: date)
            #expect(signed.canonicalRequest == example.canonicalRequest, "\(example.id)")
            #expect(signed.stringToSign == example.stringToSign, "\(example.id)")
            #expect(signed.authorization == example.authorization, "\(example.id)")
        }
    }

    @Test func pathStyleAndVirtualHostAddressing() throws {
        let settings = { (pathStyle: Bool) in
            S3Settings(
                endpoint: URL(string: "http://127.0.0.1:9000")!, region: "us-east-1", bucket: "files", accessKeyID: "a", secretAccessKey: "b",
                pathStyle: pathStyle)
        }
        let pathStyle = S3ObjectStore(settings: settings(true), httpClient: .shared).signed("GET", key: "attachments/x y/original")
        #expect(pathStyle.url == "http://127.0.0.1:9000/files/attachments/x%20y/original")
        let virtualHost = S3ObjectStore(settings: settings(false), httpClient: .shared).signed("GET", key: "attachments/x/original")
        #expect(virtualHost.url == "http://files.127.0.0.1:9000/attachments/x/original")
        #expect(virtualHost.headers["authorization"].first?.contains("SignedHeaders=host;x-amz-content-sha256;x-amz-date") == true)
    }
}

/// A raw HTTP request of the test suite: request line, headers (folded lines joined by commas,
/// as the suite's canonical requests show them), blank line, body.
struct RawRequest {
    let method: String
    let path: String
    let query: [(name: String, value: String)]
    let headers: [(name: String, value: String)]
    let body: String

    init(_ text: String) throws {
        let (head, body) = text.range(of: "\n\n").map { (String(text[..<$0.lowerBound]), String(text[$0.upperBound...])) } ?? (text, "")
        var lines = head.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let requestLine = lines.removeFirst().split(separator: " ")
        method = String(requestLine[0])
        // The target may hold spaces (get-space): it runs to the protocol at the end.
        let target = requestLine.dropFirst().dropLast().joined(separator: " ")
        let parts = target.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = String(parts[0])
        query = parts.count > 1 ? Self.parseQuery(String(parts[1])) : []
        var headers: [(name: String, value: String)] = []
        for line in lines {
            if line.first == " " || line.first == "\t", let last = headers.popLast() {
                headers.append((last.name, last.value + "," + line.trimmingCharacters(in: .whitespaces)))
            } else if let colon = line.firstIndex(of: ":") {
                headers.append((String(line[..<colon]), String(line[line.index(after: colon)...])))
            }
        }
        self.headers = headers
        self.body = body
    }

    static func parseQuery(_ query: String) -> [(name: String, value: String)] {
        query.split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let decode = { (text: Substring) in text.removingPercentEncoding ?? String(text) }
            return (decode(parts[0]), parts.count > 1 ? decode(parts[1]) : "")
        }
    }
}
