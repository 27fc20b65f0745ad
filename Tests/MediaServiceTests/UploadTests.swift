import Foundation
import HTTPTypes
import Testing
import TestSupport

/// Uploads: every accepted type, and each way a file is refused with nothing
/// stored.
@Suite struct UploadTests {
    @Test func everyAcceptedTypeIsStoredWithItsDetectedType() async throws {
        try await withMedia { stack in
            let user = try await stack.register()
            let files: [(Data, String, String?, String)] = [
                (try Fixtures.image("jpg", width: 64, height: 48), "photo.jpg", "image/jpeg", "image/jpeg"),
                (try Fixtures.image("png", width: 64, height: 48), "chart.png", "image/png", "image/png"),
                (try Fixtures.image("gif", width: 64, height: 48), "anim.gif", "image/gif", "image/gif"),
                (try Fixtures.image("webp", width: 64, height: 48), "pic.webp", "image/webp", "image/webp"),
                (Fixtures.pdf, "report.pdf", "application/pdf", "application/pdf"),
                (Fixtures.doc, "letter.doc", "application/msword", "application/msword"),
                (Fixtures.docx, "essay.docx", nil, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
                (Fixtures.plainZip, "bundle.zip", "application/octet-stream", "application/zip"),
            ]
            for (data, name, declared, detected) in files {
                let attachment = try await stack.media.uploaded(data, filename: name, contentType: declared, token: user.token)
                #expect(attachment["mime_type"] as? String == detected, "\(name)")
                #expect(attachment["filename"] as? String == name)
                #expect(attachment["size"] as? Int == data.count)
                let id = try #require(attachment["id"] as? String)
                #expect(attachment["url"] as? String == "/attachments/\(id)")
                let isImage = detected.hasPrefix("image/")
                #expect((attachment["thumbnail_url"] as? String) == (isImage ? "/attachments/\(id)/thumbnail" : nil), "\(name)")
                #expect(attachment["width"] as? Int == (isImage ? 64 : nil), "\(name)")
                #expect(attachment["height"] as? Int == (isImage ? 48 : nil), "\(name)")
                let downloaded = try await stack.media.download("/attachments/\(id)", token: user.token)
                #expect(downloaded.status == .ok)
                #expect(downloaded.body == data, "\(name) round-trips byte for byte")
                #expect(downloaded.headers[.contentType] == detected)
                #expect(downloaded.headers[HTTPField.Name("X-Content-Type-Options")!] == "nosniff")
                let disposition = try #require(downloaded.headers[.contentDisposition])
                #expect(disposition.hasPrefix(isImage ? "inline;" : "attachment;"), "\(name): \(disposition)")
            }
            #expect(stack.spooledFiles().isEmpty)
        }
    }

    @Test func aFileWhoseBytesDisagreeWithItsNameOrTypeIs415() async throws {
        try await withMedia { stack in
            let user = try await stack.register()
            let png = try Fixtures.image("png", width: 8, height: 8)
            let refused: [(Data, String, String?)] = [
                (Fixtures.executable, "cat.png", "image/png"),  // a renamed executable
                (Fixtures.executable, "setup.exe", "application/octet-stream"),
                (png, "photo.jpg", "image/jpeg"),  // a spoofed type and extension
                (png, "photo.png", "application/pdf"),  // a spoofed declared type
                (Fixtures.pdf, "report.docx", nil),
                (Fixtures.plainZip, "essay.docx", nil),  // a zip is not a Word document
                (Data("<svg onload=alert(1)></svg>".utf8), "logo.svg", "image/svg+xml"),
                (Data("<html><script>alert(1)</script></html>".utf8), "page.html", "text/html"),
            ]
            for (data, name, declared) in refused {
                let reply = try await stack.media.upload(data, filename: name, contentType: declared, token: user.token)
                #expect(reply.status == .unsupportedMediaType, "\(name) as \(declared ?? "-")")
                #expect(reply.errorCode == "unsupported_media_type")
            }
            #expect(stack.storedObjects().isEmpty)
            #expect(stack.spooledFiles().isEmpty)
        }
    }

    @Test func theEICARFileIsRefusedAndNothingIsStored() async throws {
        try await withMedia { stack in
            let user = try await stack.register()
            // Inside a zip (matched by its hash once clamd unpacks it) and embedded in a PDF.
            let carriers: [(Data, String)] = [
                (Fixtures.zip([("eicar.com", Fixtures.eicar)]), "tools.zip"),
                (Data("%PDF-1.4\n".utf8) + Fixtures.eicar + Data("\n%%EOF\n".utf8), "invoice.pdf"),
            ]
            for (data, name) in carriers {
                let reply = try await stack.media.upload(data, filename: name, contentType: nil, token: user.token)
                #expect(reply.status == .badRequest, "\(name)")
                #expect(reply.errorCode == "malware_detected")
            }
            #expect(stack.storedObjects().isEmpty)
            #expect(stack.spooledFiles().isEmpty)
        }
    }

    @Test func withClamdStoppedOrSilentUploadsFailClosed() async throws {
        let clamd = try await TestClamd.launch()
        try await withMedia(settings: ["CLAMD_PORT": String(clamd.port)]) { stack in
            let user = try await stack.register()
            _ = try await stack.media.uploaded(Fixtures.pdf, filename: "before.pdf", contentType: nil, token: user.token)
            let storedBefore = stack.storedObjects()
            try await clamd.stop()
            let reply = try await stack.media.upload(Fixtures.pdf, filename: "after.pdf", contentType: nil, token: user.token)
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.errorCode == "scanner_unavailable")
            #expect(stack.storedObjects() == storedBefore)
        }
        // A clamd that takes the stream but never answers: the verdict timeout fails the upload.
        let silent = try SilentServer()
        defer { silent.close() }
        try await withMedia(settings: ["CLAMD_PORT": String(silent.port), "CLAMD_TIMEOUT_SECONDS": "1"]) { stack in
            let user = try await stack.register()
            let reply = try await stack.media.upload(Fixtures.pdf, filename: "slow.pdf", contentType: nil, token: user.token)
            #expect(reply.status == .serviceUnavailable)
            #expect(reply.errorCode == "scanner_unavailable")
            #expect(stack.storedObjects().isEmpty)
        }
    }

    @Test func aPixelBombIsRefusedBeforeDecoding() async throws {
        try await withMedia { stack in
            let user = try await stack.register()
            // 10,000 x 5,000 = 50 megapixels of one colour: a few KB on disk.
            let bomb = try Fixtures.image("png", width: 10_000, height: 5_000)
            #expect(bomb.count < 1_000_000)
            let reply = try await stack.media.upload(bomb, filename: "bomb.png", contentType: "image/png", token: user.token)
            #expect(reply.status == .contentTooLarge)
            #expect(reply.errorCode == "image_too_large")
            #expect(stack.storedObjects().isEmpty)
        }
    }

    @Test func anElevenMebibyteFileIsRefusedBeforeItIsFullyRead() async throws {
        try await withMedia { stack in
            let user = try await stack.register()
            // A real client sending 11 MiB, with only 10.5 MiB written before it waits for an answer:
            // the answer must come without the rest.
            let pdfHead = Data("%PDF-1.4\n".utf8)
            let prefix = "--\(MultipartUpload.boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.pdf\"\r\n\r\n"
            let declaredLength = prefix.utf8.count + 11 * 1024 * 1024
            let socket = try RawHTTPClient(port: stack.port)
            defer { socket.close() }
            try await socket.send(Data((
                "POST /attachments/upload HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer \(user.token)\r\n"
                + "Content-Type: multipart/form-data; boundary=\(MultipartUpload.boundary)\r\nContent-Length: \(declaredLength)\r\n\r\n"
                + prefix).utf8) + pdfHead)
            let chunk = Data(repeating: 0x20, count: 64 * 1024)
            for _ in 0..<(10 * 1024 * 1024 + 512 * 1024) / chunk.count {
                // The server may stop reading once it has refused: then the rest cannot be sent.
                guard (try? await socket.send(chunk)) != nil else { break }
            }
            let head = try await socket.readHead(timeout: .seconds(10))
            #expect(head.hasPrefix("HTTP/1.1 413"), "\(head)")
            #expect(stack.storedObjects().isEmpty)
            try await eventually("the spool file was not removed") { stack.spooledFiles().isEmpty }
        }
    }

    @Test func fileNamesAreSanitized() async throws {
        try await withMedia { stack in
            let user = try await stack.register()
            let attachment = try await stack.media.uploaded(
                Fixtures.pdf, filename: "../../etc/\u{202E}fdp.exe.pdf", contentType: "application/pdf", token: user.token)
            #expect(attachment["filename"] as? String == "fdp.exe.pdf")
            // A control character can come only percent-encoded (a raw one is malformed): it is dropped too.
            let extended = try await stack.media.upload(
                body: MultipartUpload.body(
                    fileHeaders: Array("Content-Disposition: form-data; name=\"file\"; filename=\"x.pdf\"; filename*=UTF-8''..%2F%E2%80%AEfdp%07.pdf".utf8),
                    data: Fixtures.pdf),
                token: user.token)
            #expect(extended.status == .created)
            #expect(extended["filename"] as? String == "fdp.pdf")
            let long = String(repeating: "é", count: 300) + ".pdf"
            let trimmed = try await stack.media.uploaded(Fixtures.pdf, filename: long, contentType: nil, token: user.token)
            let name = try #require(trimmed["filename"] as? String)
            #expect(name.utf8.count <= 255)
            #expect(name.hasSuffix(".pdf"))
            let id = try #require(trimmed["id"] as? String)
            let downloaded = try await stack.media.download("/attachments/\(id)", token: user.token)
            let disposition = try #require(downloaded.headers[.contentDisposition])
            #expect(disposition.contains("filename*=UTF-8''%C3%A9%C3%A9"))
            #expect(disposition.allSatisfy { $0.isASCII })
        }
    }

    @Test func anUploadNeedsAFilePartAndAToken() async throws {
        try await withMedia { stack in
            let user = try await stack.register()
            let noToken = try await stack.media.execute(
                uri: "/attachments/upload", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(MultipartUpload.boundary)"],
                body: MultipartUpload.body(filename: "a.pdf", contentType: nil, data: Fixtures.pdf)) { $0.status }
            #expect(noToken == .unauthorized)
            let wrongField = try await stack.media.execute(
                uri: "/attachments/upload", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=\(MultipartUpload.boundary)", .authorization: "Bearer \(user.token)"],
                body: MultipartUpload.body(filename: "a.pdf", contentType: nil, data: Fixtures.pdf, field: "document")) { $0 }
            #expect(wrongField.status == .badRequest)
            let json = try await stack.media.call(.post, "/attachments/upload", json: ["file": "x"], token: user.token)
            #expect(json.status == .unsupportedMediaType)
        }
    }
}
