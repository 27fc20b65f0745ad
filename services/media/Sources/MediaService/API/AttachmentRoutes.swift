import Foundation
import HTTPTypes
import Hummingbird
import ServiceKit

/// `/attachments/*`: upload, download (whole or ranged), thumbnail and metadata.
struct AttachmentRoutes {
    let env: MediaEnvironment
    let uploads: Uploads

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.post("/attachments/upload") { request, context -> Response in
            let attachment = try await uploads.upload(request.body, contentType: request.headers[.contentType], by: try context.requireIdentity().userID)
            return try APIResponseEncoder.response(AttachmentResponse(attachment: attachment), status: .created)
        }
        group.get("/attachments/:id") { request, context -> Response in
            let attachment = try await env.requireReadable(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            return try await serveOriginal(attachment, request: request)
        }
        group.get("/attachments/:id/thumbnail") { _, context -> Response in
            let attachment = try await env.requireReadable(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
            guard let key = attachment.thumbnailKey else { throw AppError.notFound("this attachment has no thumbnail") }
            let thumbnail = try await read(key, range: nil).collect()
            var headers = Self.servingHeaders(contentType: "image/webp", filename: "thumbnail.webp", inline: true)
            headers[.eTag] = "\"\(attachment.sha256)-thumbnail\""
            return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: thumbnail))
        }
        group.get("/attachments/:id/meta") { _, context -> AttachmentResponse in
            AttachmentResponse(attachment: try await env.requireReadable(try context.parameters.requireID("id"), by: try context.requireIdentity().userID))
        }
    }

    private func serveOriginal(_ attachment: Attachment, request: Request) async throws -> Response {
        var headers = Self.servingHeaders(contentType: attachment.mimeType, filename: attachment.filename, inline: attachment.isImage)
        headers[.eTag] = attachment.etag
        headers[.acceptRanges] = "bytes"
        if let match = request.headers[.ifNoneMatch], match == "*" || match.split(separator: ",").contains(where: { $0.trimmingCharacters(in: .whitespaces) == attachment.etag }) {
            return Response(status: .notModified, headers: headers)
        }
        // A range is served only against the version the client already holds part of.
        let ifRange = request.headers[.ifRange]
        let range = ifRange == nil || ifRange == attachment.etag ? ByteRange(header: request.headers[.range], size: attachment.size) : .whole
        switch range {
        case .unsatisfiable:
            throw AppError(
                .rangeNotSatisfiable, code: "range_not_satisfiable", message: "the range is outside the file's \(attachment.size) bytes",
                headers: [.contentRange: "bytes */\(attachment.size)"])
        case .whole:
            let bytes = try await read(attachment.objectKey, range: nil)
            headers[.contentLength] = String(attachment.size)
            return Response(status: .ok, headers: headers, body: Self.body(bytes, length: attachment.size))
        case .part(let part):
            let bytes = try await read(attachment.objectKey, range: part)
            headers[.contentLength] = String(part.count)
            headers[.contentRange] = "bytes \(part.lowerBound)-\(part.upperBound)/\(attachment.size)"
            return Response(status: .partialContent, headers: headers, body: Self.body(bytes, length: part.count))
        }
    }

    private func read(_ key: String, range: ClosedRange<Int>?) async throws -> ObjectBytes {
        do {
            return try await env.objects.read(key, range: range)
        } catch {
            throw AppError(.serviceUnavailable, code: "storage_unavailable", message: "the file cannot be read right now", internalDetail: "\(error)")
        }
    }

    private static func body(_ bytes: ObjectBytes, length: Int) -> ResponseBody {
        ResponseBody(contentLength: length) { writer in
            try await bytes.stream { try await writer.write($0) }
            try await writer.finish(nil)
        }
    }

    /// Served bytes are never sniffed, framed or run as a page: a browser shows an image and
    /// downloads anything else.
    private static func servingHeaders(contentType: String, filename: String, inline: Bool) -> HTTPFields {
        [
            .contentType: contentType,
            .contentDisposition: FileName.contentDisposition(filename, inline: inline),
            HTTPField.Name("X-Content-Type-Options")!: "nosniff",
            .contentSecurityPolicy: "default-src 'none'; sandbox",
            .cacheControl: "private, max-age=3600",
        ]
    }
}
