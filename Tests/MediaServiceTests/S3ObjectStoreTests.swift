import AsyncHTTPClient
import Crypto
import Foundation
import NIOCore
import Testing
import TestSupport

@testable import MediaService

/// The S3 store against a real S3-compatible server (moto_server): a 10 MiB object round trip,
/// ranges, deletes, and an upload through the whole stack stored in the bucket.
@Suite struct S3ObjectStoreTests {
    func store(bucket: String) async throws -> S3ObjectStore {
        let port = try await TestS3.shared.start()
        let settings = S3Settings(
            endpoint: URL(string: "http://127.0.0.1:\(port)")!, region: "us-east-1", bucket: bucket, accessKeyID: "test-key",
            secretAccessKey: "test-secret", pathStyle: true)
        let store = S3ObjectStore(settings: settings, httpClient: .shared)
        try await store.ensureBucket()
        return store
    }

    @Test func aTenMebibyteObjectRoundTrips() async throws {
        let store = try await store(bucket: "round-trip-\(UUID().uuidString.lowercased().prefix(8))")
        var bytes = [UInt8](repeating: 0, count: 10 * 1024 * 1024)
        for index in stride(from: 0, to: bytes.count, by: 4096) { bytes[index] = UInt8(truncatingIfNeeded: index / 4096) }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("parley-s3-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let sha256 = SigV4Signer.hex(SHA256.hash(data: bytes))

        try await store.put("attachments/big/original", file: path, size: bytes.count, sha256: sha256, contentType: "application/zip")
        let whole = try await store.read("attachments/big/original", range: nil).collect()
        #expect(whole.readableBytes == bytes.count)
        #expect(SigV4Signer.hex(SHA256.hash(data: whole.readableBytesView)) == sha256)
        let part = try await store.read("attachments/big/original", range: 4096...4105).collect()
        #expect(Array(part.readableBytesView) == Array(bytes[4096...4105]))

        try await store.put("attachments/big/thumbnail.webp", bytes: ByteBuffer(string: "thumb"), contentType: "image/webp")
        #expect(String(buffer: try await store.read("attachments/big/thumbnail.webp", range: nil).collect()) == "thumb")

        try await store.delete("attachments/big/original")
        await #expect(throws: ObjectStoreError.self) { _ = try await store.read("attachments/big/original", range: nil) }
        // Deleting what is gone is no error.
        try await store.delete("attachments/big/original")
    }

    @Test func uploadsThroughTheStackLandInTheBucket() async throws {
        let port = try await TestS3.shared.start()
        let bucket = "stack-\(UUID().uuidString.lowercased().prefix(8))"
        try await withMedia(settings: [
            "OBJECT_STORE": "s3", "S3_ENDPOINT": "http://127.0.0.1:\(port)", "S3_BUCKET": bucket, "S3_ACCESS_KEY_ID": "test-key",
            "S3_SECRET_ACCESS_KEY": "test-secret",
        ]) { stack in
            let user = try await stack.register()
            let image = try Fixtures.image("jpg", width: 640, height: 480)
            let attachment = try await stack.media.uploaded(image, filename: "s3.jpg", contentType: "image/jpeg", token: user.token)
            let id = try #require(attachment["id"] as? String)
            let downloaded = try await stack.media.download("/attachments/\(id)", token: user.token)
            #expect(downloaded.body == image)
            let part = try await stack.media.download("/attachments/\(id)", token: user.token, headers: [.range: "bytes=0-3"])
            #expect(part.status == .partialContent && part.body == image.prefix(4))
            let thumbnail = try await stack.media.download("/attachments/\(id)/thumbnail", token: user.token)
            #expect(try Fixtures.dimensions(of: thumbnail.body) == (320, 240))
            #expect(stack.storedObjects().isEmpty, "nothing on the local disk")
        }
    }
}
