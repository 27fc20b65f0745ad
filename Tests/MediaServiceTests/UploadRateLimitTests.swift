import Foundation
import HTTPTypes
import Testing
import TestSupport

/// `UPLOAD_RATE_LIMIT` uploads per user per `UPLOAD_RATE_WINDOW_SECONDS`.
@Suite struct UploadRateLimitTests {
    @Test func anUploadPastTheLimitIs429BeforeItsBodyIsRead() async throws {
        try await withMedia(settings: ["UPLOAD_RATE_LIMIT": "2", "UPLOAD_RATE_WINDOW_SECONDS": "3600"]) { stack in
            let user = try await stack.register()
            let other = try await stack.register()
            _ = try await stack.media.uploaded(Fixtures.pdf, filename: "one.pdf", contentType: nil, token: user.token)
            // A refused upload still counts: reading and scanning it cost the same.
            let refusedType = try await stack.media.upload(Fixtures.executable, filename: "two.exe", contentType: nil, token: user.token)
            #expect(refusedType.status == .unsupportedMediaType)

            // The third: only the head and the first boundary are sent of a body declared 1 MiB
            // long, and the answer comes without the rest.
            let socket = try RawHTTPClient(port: stack.port)
            defer { socket.close() }
            try await socket.send(Data((
                "POST /attachments/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(user.token)\r\n"
                + "Content-Type: multipart/form-data; boundary=\(MultipartUpload.boundary)\r\nContent-Length: \(1024 * 1024)\r\n\r\n"
                + "--\(MultipartUpload.boundary)\r\n").utf8))
            let head = try await socket.readHead(timeout: .seconds(10))
            #expect(head.hasPrefix("HTTP/1.1 429"), "\(head)")
            #expect(head.lowercased().contains("\r\nretry-after: "), "\(head)")

            // Sent whole.
            let refused = try await stack.media.upload(Fixtures.pdf, filename: "three.pdf", contentType: nil, token: user.token)
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorCode == "rate_limited")
            let retryAfter = try #require(refused.headers[.retryAfter].flatMap(Int.init))
            #expect((3500...3600).contains(retryAfter))
            #expect(stack.spooledFiles().isEmpty)
            // The limit is per user.
            _ = try await stack.media.uploaded(Fixtures.pdf, filename: "theirs.pdf", contentType: nil, token: other.token)
        }
    }
}
