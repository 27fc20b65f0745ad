import Crypto
import Foundation
import Multipart
import NIOCore
import ServiceKit
import _NIOFileSystem

/// An upload's file as received: checked, counted, hashed and written to a spool file while it
/// streamed in (and, through `sink`, to the malware scanner).
struct SpooledUpload: Sendable {
    let filename: String
    let kind: FileKind
    let size: Int
    /// Hex SHA-256 of the bytes.
    let sha256: String
}

/// Receives the file part of a multipart body into `spoolPath`, passing every byte to `sink` too.
/// The type is decided from the first bytes before anything else is kept (415 on a mismatch), and
/// the upload stops with 413 the moment the file passes `maxFileBytes` or the body `maxBodyBytes`.
struct UploadReceiver {
    let maxFileBytes: Int
    let maxBodyBytes: Int
    let formLimits: MultipartReader.Limits

    func receive(
        _ body: some AsyncSequence<ByteBuffer, any Error>, contentType: String?, spoolPath: String,
        sink: (ByteBuffer) async throws -> Void
    ) async throws -> SpooledUpload {
        guard var reader = FormDataReader(contentType: contentType, limits: formLimits) else {
            throw AppError(.unsupportedMediaType, code: "unsupported_media_type", message: "uploads are multipart/form-data with a boundary")
        }
        var bodyBytes = 0
        var file = FileProgress()
        try await FileSystem.shared.withFileHandle(forWritingAt: FilePath(spoolPath), options: .newFile(replaceExisting: false)) { handle in
            try await handle.withBufferedWriter { writer in
                for try await chunk in body {
                    bodyBytes += chunk.readableBytes
                    guard bodyBytes <= maxBodyBytes else { throw AppError.payloadTooLarge(limit: maxBodyBytes) }
                    for event in try reader.read(chunk) {
                        for accepted in try file.take(event, maxFileBytes: maxFileBytes) {
                            _ = try await writer.write(contentsOf: accepted)
                            try await sink(accepted)
                        }
                    }
                }
                try reader.finish()
            }
        }
        return try file.finished()
    }

    /// The file part's state: its head held back until its type is known, then counted and hashed.
    private struct FileProgress {
        var filename: String?
        var declaredType: String?
        var head: [UInt8] = []
        var kind: FileKind?
        var size = 0
        var ended = false
        var hasher = SHA256()

        /// Takes an event; returns the bytes now safe to keep (none while the head is held back).
        mutating func take(_ event: FormDataReader.Event, maxFileBytes: Int) throws -> [ByteBuffer] {
            switch event {
            case .fileStarted(let name, let contentType):
                filename = FileName.sanitized(name)
                declaredType = contentType
                return []
            case .fileBytes(let bytes):
                size += bytes.readableBytes
                guard size <= maxFileBytes else {
                    throw AppError(
                        .contentTooLarge, code: "file_too_large", message: "files are limited to \(maxFileBytes) bytes",
                        details: ["field": FormDataReader.fileField])
                }
                hasher.update(data: bytes.readableBytesView)
                if kind != nil { return [bytes] }
                head += bytes.readableBytesView
                guard head.count >= FileKind.sniffLength else { return [] }
                return [try decideKind()]
            case .fileEnded:
                ended = true
                return kind == nil && !head.isEmpty ? [try decideKind()] : []
            }
        }

        /// Decides the kind from the held-back head and releases it.
        private mutating func decideKind() throws -> ByteBuffer {
            do throws(FileTypeError) {
                kind = try FileTypeCheck.kind(head: Array(head.prefix(FileKind.sniffLength)), filename: filename ?? "", declaredType: declaredType)
            } catch {
                throw AppError(.unsupportedMediaType, code: "unsupported_media_type", message: error.message, details: ["field": FormDataReader.fileField])
            }
            defer { head = [] }
            return ByteBuffer(bytes: head)
        }

        func finished() throws -> SpooledUpload {
            guard let filename, ended else {
                throw AppError.validation(field: FormDataReader.fileField, "the upload needs a complete part named file")
            }
            guard size > 0, let kind else { throw AppError.validation(field: FormDataReader.fileField, "the file is empty") }
            return SpooledUpload(filename: filename, kind: kind, size: size, sha256: SigV4Signer.hex(hasher.finalize()))
        }
    }
}
