import Foundation
import Logging
import NIOCore
import ServiceKit

/// `POST /attachments/upload`: the file streams to a spool file and to clamd at once; only a clean
/// file of an accepted type is stored (original, and an image's thumbnail) and recorded. An
/// infected file, or any doubt about it (clamd down or slow), stores nothing.
struct Uploads: Sendable {
    let env: MediaEnvironment
    /// Every upload counts, whatever its outcome: reading and scanning it cost the same.
    let limiter: RateLimiter
    let receiver: UploadReceiver
    let scanner: MalwareScanner
    let thumbnailer: Thumbnailer
    let spoolDirectory: String

    func upload(_ body: some AsyncSequence<ByteBuffer, any Error>, contentType: String?, by uploader: UUID) async throws -> Attachment {
        // Before a byte of the body is read: a refused upload costs nothing more.
        try await limiter.acquire(uploader.apiString, now: env.clock.now())
        let spoolPath = spoolDirectory + "/" + UUID().uuidString + ".upload"
        defer { try? FileManager.default.removeItem(atPath: spoolPath) }

        let (file, verdict): (SpooledUpload, MalwareScanner.Verdict)
        do {
            (file, verdict) = try await scanner.scan { feed in
                try await receiver.receive(body, contentType: contentType, spoolPath: spoolPath, sink: feed.send)
            }
        } catch let error as ScannerError {
            env.logger.error("malware scan failed: the upload is refused", metadata: ["error": "\(error)"])
            throw AppError(.serviceUnavailable, code: "scanner_unavailable", message: "files cannot be scanned right now; try again later")
        }
        if case .infected(let signature) = verdict {
            env.logger.warning("malware refused", metadata: ["uploader_id": "\(uploader.apiString)", "signature": "\(signature)"])
            throw AppError(
                .badRequest, code: "malware_detected", message: "the file contains malware and was not stored",
                details: ["field": FormDataReader.fileField])
        }

        let image = file.kind.isImage ? try await thumbnail(of: spoolPath) : nil
        let now = env.clock.now()
        let id = env.ids.next(at: now)
        let attachment = Attachment(
            id: id, uploaderID: uploader, filename: file.filename, mimeType: file.kind.mimeType, size: file.size, sha256: file.sha256,
            objectKey: Attachment.objectKey(of: id), thumbnailKey: image.map { _ in Attachment.thumbnailKey(of: id) },
            width: image?.width, height: image?.height, createdAt: now)
        do {
            try await env.objects.put(attachment.objectKey, file: spoolPath, size: file.size, sha256: file.sha256, contentType: file.kind.mimeType)
            if let image, let key = attachment.thumbnailKey {
                try await env.objects.put(key, bytes: image.thumbnail.webp, contentType: "image/webp")
            }
            try await env.attachments.insert(attachment)
        } catch {
            // Nothing was acknowledged: leave no bytes behind without a record.
            try? await env.objects.delete(attachment.objectKey)
            if let key = attachment.thumbnailKey { try? await env.objects.delete(key) }
            throw AppError(.serviceUnavailable, code: "storage_unavailable", message: "the file could not be stored; try again", internalDetail: "\(error)")
        }
        return attachment
    }

    private func thumbnail(of path: String) async throws -> (width: Int, height: Int, thumbnail: Thumbnailer.Thumbnail) {
        do {
            return try await thumbnailer.thumbnail(of: path)
        } catch ImageError.tooManyPixels(let pixels) {
            throw AppError(
                .contentTooLarge, code: "image_too_large",
                message: "images are limited to \(thumbnailer.maxPixels) pixels; this one has \(pixels)", details: ["field": FormDataReader.fileField])
        } catch ImageError.undecodable(let detail) {
            throw AppError(
                .unsupportedMediaType, code: "unsupported_media_type", message: "the image cannot be decoded",
                details: ["field": FormDataReader.fileField], internalDetail: detail)
        }
    }
}
