import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import NIOHTTP1
import _NIOFileSystem

/// Where an S3-compatible bucket is and how to sign for it.
struct S3Settings: Sendable {
    /// `https://s3.eu-west-1.amazonaws.com`, or a compatible server's `http://127.0.0.1:9000`.
    var endpoint: URL
    var region: String
    var bucket: String
    var accessKeyID: String
    var secretAccessKey: String
    /// `endpoint/bucket/key` (most S3-compatible servers) rather than `bucket.endpoint/key` (AWS).
    var pathStyle: Bool
}

/// Objects in an S3-compatible bucket, every request signed with SigV4. Uploads stream from the
/// spooled file with their SHA-256 signed (the store checks it), downloads stream to the caller.
struct S3ObjectStore: ObjectStore {
    let settings: S3Settings
    let httpClient: HTTPClient
    let timeout: TimeAmount
    private let signer: SigV4Signer

    init(settings: S3Settings, httpClient: HTTPClient, timeout: TimeAmount = .seconds(60)) {
        self.settings = settings
        self.httpClient = httpClient
        self.timeout = timeout
        self.signer = SigV4Signer(
            accessKeyID: settings.accessKeyID, secretAccessKey: settings.secretAccessKey, region: settings.region, service: "s3")
    }

    static let emptySHA256 = SigV4Signer.hex(SHA256.hash(data: Data()))

    func put(_ key: String, file path: String, size: Int, sha256: String, contentType: String) async throws {
        try await FileSystem.shared.withFileHandle(forReadingAt: FilePath(path)) { handle in
            var request = signed("PUT", key: key, payloadSHA256: sha256, headers: [("content-type", contentType)])
            request.body = .stream(handle.readChunks(chunkLength: .kibibytes(256)), length: .known(Int64(size)))
            try await expectSuccess(request, "PUT \(key)")
        }
    }

    func put(_ key: String, bytes: ByteBuffer, contentType: String) async throws {
        let sha256 = SigV4Signer.hex(SHA256.hash(data: bytes.readableBytesView))
        var request = signed("PUT", key: key, payloadSHA256: sha256, headers: [("content-type", contentType)])
        request.body = .bytes(bytes)
        try await expectSuccess(request, "PUT \(key)")
    }

    func read(_ key: String, range: ClosedRange<Int>?) async throws -> ObjectBytes {
        let rangeHeader = range.map { [("range", "bytes=\($0.lowerBound)-\($0.upperBound)")] } ?? []
        let response = try await httpClient.execute(signed("GET", key: key, headers: rangeHeader), timeout: timeout)
        switch response.status.code {
        case 200, 206:
            // One pass over the reply: the body can only be read once.
            return ObjectBytes { each in
                for try await chunk in response.body { try await each(chunk) }
            }
        case 404:
            throw ObjectStoreError.notFound(key)
        default:
            throw try await failure(response, "GET \(key)")
        }
    }

    func delete(_ key: String) async throws {
        let response = try await httpClient.execute(signed("DELETE", key: key), timeout: timeout)
        guard (200..<300).contains(response.status.code) || response.status == .notFound else {
            throw try await failure(response, "DELETE \(key)")
        }
    }

    /// Creates the bucket when it does not exist yet (a new deployment or a local S3 server).
    func ensureBucket() async throws {
        let head = try await httpClient.execute(signed("HEAD", key: nil), timeout: timeout)
        guard head.status == .notFound else { return }
        var create = signed("PUT", key: nil)
        if settings.region != "us-east-1" {
            let configuration = "<CreateBucketConfiguration><LocationConstraint>\(settings.region)</LocationConstraint></CreateBucketConfiguration>"
            create = signed("PUT", key: nil, payloadSHA256: SigV4Signer.hex(SHA256.hash(data: Data(configuration.utf8))))
            create.body = .bytes(ByteBuffer(string: configuration))
        }
        try await expectSuccess(create, "PUT bucket \(settings.bucket)")
    }

    /// A request for `key` (the bucket itself when nil), its headers signed as of `date`.
    func signed(
        _ method: String, key: String?, payloadSHA256: String = emptySHA256, headers extra: [(String, String)] = [], at date: Date = Date()
    ) -> HTTPClientRequest {
        let endpointHost = settings.endpoint.host ?? ""
        let port = settings.endpoint.port.map { ":\($0)" } ?? ""
        let host = (settings.pathStyle ? endpointHost : "\(settings.bucket).\(endpointHost)") + port
        let objectPath = key.map { "/" + $0 } ?? ""
        let path = settings.pathStyle ? "/\(settings.bucket)\(objectPath)" : (objectPath.isEmpty ? "/" : objectPath)
        let (amzDate, _) = SigV4Signer.timestamps(date)
        let headers = [("host", host), ("x-amz-content-sha256", payloadSHA256), ("x-amz-date", amzDate)] + extra
        let signature = signer.sign(
            method: method, path: path, headers: headers.map { (name: $0.0, value: $0.1) }, payloadSHA256: payloadSHA256, at: date)
        let encodedPath = path.split(separator: "/", omittingEmptySubsequences: false).map { SigV4Signer.uriEncode(String($0)) }
            .joined(separator: "/")
        var request = HTTPClientRequest(url: "\(settings.endpoint.scheme ?? "https")://\(host)\(encodedPath)")
        request.method = HTTPMethod(rawValue: method)
        for (name, value) in headers where name != "host" { request.headers.add(name: name, value: value) }
        request.headers.add(name: "authorization", value: signature.authorization)
        return request
    }

    private func expectSuccess(_ request: HTTPClientRequest, _ what: String) async throws {
        let response = try await httpClient.execute(request, timeout: timeout)
        guard (200..<300).contains(response.status.code) else { throw try await failure(response, what) }
        for try await _ in response.body {}
    }

    private func failure(_ response: HTTPClientResponse, _ what: String) async throws -> ObjectStoreError {
        let body = try await response.body.collect(upTo: 64 * 1024)
        return .failed("S3 \(what) answered \(response.status.code): \(String(buffer: body).prefix(500))")
    }
}
