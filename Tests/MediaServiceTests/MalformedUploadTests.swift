import Foundation
import HTTPTypes
import NIOCore
import Testing
import TestSupport

/// Malformed multipart sent to media: each is 400 with a clear code, stores nothing, and
/// media goes on serving.
@Suite struct MalformedUploadTests {
    /// Issue 15, row 10: one such upload made multipart-kit trap on its header-name table and media exit.
    @Test func aPartHeaderNameByteOf0x80OrMoreIs400AndMediaKeepsServing() async throws {
        try await withMedia { stack in
            let user = try await stack.register()
            let headers = Array("Content-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nX-".utf8) + [0x80] + Array(": 1".utf8)
            let body = MultipartUpload.body(fileHeaders: headers, data: Fixtures.pdf)
            let socket = try RawHTTPClient(port: stack.port)
            defer { socket.close() }
            try await socket.send(Data((
                "POST /attachments/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(user.token)\r\n"
                + "Content-Type: multipart/form-data; boundary=\(MultipartUpload.boundary)\r\nContent-Length: \(body.readableBytes)\r\n\r\n").utf8)
                + Data(buffer: body))
            let head = try await socket.readHead(timeout: .seconds(10))
            #expect(head.hasPrefix("HTTP/1.1 400"), "\(head)")

            let again = try await stack.media.upload(body: body, token: user.token)
            #expect(again.status == .badRequest)
            #expect(again.errorCode == "bad_request")
            _ = try await stack.media.uploaded(Fixtures.pdf, filename: "after.pdf", contentType: nil, token: user.token)
        }
    }

    @Test func malformedMultipartOfEveryKindIs400WithACodeAndStoresNothing() async throws {
        try await withMedia { stack in
            let user = try await stack.register()
            let disposition = "Content-Disposition: form-data; name=\"file\""
            let file = { (headers: [UInt8]) in MultipartUpload.body(fileHeaders: headers, data: Fixtures.pdf) }
            let text = { (headers: String) in file(Array(headers.utf8)) }
            let raw = { (body: String) in ByteBuffer(string: body.replacingOccurrences(of: "<B>", with: "--" + MultipartUpload.boundary)) }
            let malformed: [(String, ByteBuffer)] = [
                ("a control character in a header value", text(disposition + "; filename=\"a\u{7}.pdf\"")),
                ("a NUL byte in a header value", text(disposition + "; filename=\"a\u{0}.pdf\"")),
                ("UTF-8 in a header name", text(disposition + "\r\nX-Caf\u{E9}: 1")),
                ("lines ended by LF alone", text(disposition + "\nContent-Type: application/pdf")),
                ("a folded header line", text(disposition + "\r\n ; filename=\"a.pdf\"")),
                ("a header section without end", raw("<B>\r\n" + disposition + "; filename=\"" + String(repeating: "a", count: 9000))),
                ("headers cut short by the body's end", raw("<B>\r\n" + disposition + "\r\n")),
                ("a boundary never closed", raw("<B>\r\n" + disposition + "; filename=\"a.pdf\"\r\n\r\n%PDF-1.4\n")),
                ("absurdly many parts", raw(String(repeating: "<B>\r\nContent-Disposition: form-data; name=\"n\"\r\n\r\nx\r\n", count: 17) + "<B>--")),
                ("absurdly many headers", text(disposition + String(repeating: "\r\nX-A: 1", count: 16))),
                ("a part without Content-Disposition", text("Content-Type: application/pdf")),
                ("a part without a name", text("Content-Disposition: form-data; filename=\"a.pdf\"")),
            ]
            for (what, body) in malformed {
                let reply = try await stack.media.upload(body: body, token: user.token)
                #expect(reply.status == .badRequest, "\(what)")
                #expect(reply.errorCode == "bad_request", "\(what): \(String(decoding: reply.body, as: UTF8.self))")
            }
            // Text Postgres cannot store, or that is not text: the file field is refused.
            let unstorable: [(String, ByteBuffer)] = [
                ("a NUL in filename*", text(disposition + "; filename*=UTF-8''a%00.pdf")),
                ("an encoded surrogate in filename*", text(disposition + "; filename*=UTF-8''a%ED%A0%80.pdf")),
                ("filename* not UTF-8", text(disposition + "; filename*=UTF-8''a%FF.pdf")),
                ("a file name not UTF-8", file(Array((disposition + "; filename=\"a").utf8) + [0xFF] + Array(".pdf\"".utf8))),
                ("a Content-Type not UTF-8", file(Array((disposition + "\r\nContent-Type: application/").utf8) + [0xFE, 0x70])),
            ]
            for (what, body) in unstorable {
                let reply = try await stack.media.upload(body: body, token: user.token)
                #expect(reply.status == .badRequest, "\(what)")
                #expect(reply.errorCode == "validation_failed", "\(what): \(String(decoding: reply.body, as: UTF8.self))")
                #expect(reply.errorField == "file", "\(what)")
            }
            #expect(stack.storedObjects().isEmpty)
            try await eventually("a spool file was left behind") { stack.spooledFiles().isEmpty }
            _ = try await stack.media.uploaded(Fixtures.pdf, filename: "fine.pdf", contentType: "application/pdf", token: user.token)
        }
    }
}
