import Foundation
import Multipart
import NIOCore
import ServiceKit

/// Reads a `multipart/form-data` body chunk by chunk (on `MultipartReader`) and reports what
/// happens to its file part (the first part named `file`): its name and declared type, its bytes
/// as they arrive, its end. Other parts are skipped. Nothing is held beyond the chunk at hand and
/// a part's headers.
///
/// Refusals: a malformed body or a part without a name is 400 `bad_request`; a file name or type
/// that is not UTF-8, or a file name holding NUL, is 400 `validation_failed` for `file`.
struct FormDataReader {
    enum Event {
        case fileStarted(filename: String, contentType: String?)
        case fileBytes(ByteBuffer)
        case fileEnded
    }

    static let fileField = "file"

    private var reader: MultipartReader
    private var inFilePart = false
    private var fileSeen = false

    /// Nil unless `contentType` is `multipart/form-data` with a valid boundary.
    init?(contentType: String?, limits: MultipartReader.Limits) {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data"),
            let boundary = Self.dispositionParameters(contentType)["boundary"],
            let reader = MultipartReader(boundary: boundary, limits: limits)
        else { return nil }
        self.reader = reader
    }

    /// Feeds the next chunk of the body; returns what it completed.
    mutating func read(_ chunk: ByteBuffer) throws -> [Event] {
        let parts: [MultipartReader.Event]
        do {
            parts = try reader.read(chunk)
        } catch {
            throw Self.malformed(error)
        }
        var events: [Event] = []
        for part in parts {
            switch part {
            case .partStarted(let headers):
                if let started = try start(headers) { events.append(started) }
            case .bodyBytes(let bytes):
                if inFilePart { events.append(.fileBytes(bytes)) }
            case .partEnded:
                if inFilePart { events.append(.fileEnded) }
                inFilePart = false
            }
        }
        return events
    }

    /// Call when the body has ended: throws unless it was complete.
    func finish() throws {
        do {
            try reader.finish()
        } catch {
            throw Self.malformed(error)
        }
    }

    private static func malformed(_ error: MultipartError) -> AppError {
        AppError.badRequest("the multipart body is malformed: \(error.message)")
    }

    /// A part's headers: the file part's start, or nil for a part that is skipped.
    private mutating func start(_ headers: [MultipartHeader]) throws -> Event? {
        guard let disposition = headers.first(where: { $0.name.lowercased() == "content-disposition" }) else {
            throw AppError.badRequest("every part needs a Content-Disposition header")
        }
        // Decoded loosely to find the name: what a skipped part holds does not matter.
        let parameters = Self.dispositionParameters(String(decoding: disposition.value, as: UTF8.self))
        guard let name = parameters["name"] else { throw AppError.badRequest("every part needs a name in its Content-Disposition") }
        guard name == Self.fileField, !fileSeen else { return nil }
        fileSeen = true
        inFilePart = true
        let contentType = try headers.first { $0.name.lowercased() == "content-type" }.map { try Self.text($0.value, what: "the file's Content-Type") }
        return .fileStarted(filename: try Self.filename(disposition.value), contentType: contentType)
    }

    /// The file name as sent: RFC 5987's `filename*` when there is one, else `filename`.
    private static func filename(_ disposition: [UInt8]) throws -> String {
        let parameters = dispositionParameters(try text(disposition, what: "the file name"))
        var name = parameters["filename"] ?? ""
        if let extended = parameters["filename*"] {
            guard let decoded = decodeExtended(extended) else {
                throw AppError.validation(field: fileField, "filename* must be UTF-8'' then percent-encoded UTF-8")
            }
            name = decoded
        }
        guard StorableText.isStorable(name) else { throw AppError.validation(field: fileField, "the file name must not contain NUL characters") }
        return name
    }

    /// `bytes` as text, refused as `validation_failed` for `file` unless they are UTF-8.
    private static func text(_ bytes: [UInt8], what: String) throws -> String {
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw AppError.validation(field: fileField, "\(what) must be UTF-8 text")
        }
        return text
    }

    /// `form-data; name="file"; filename="a b.png"` as `["name": "file", "filename": "a b.png"]`:
    /// keys lowercased, quotes and backslash escapes removed.
    static func dispositionParameters(_ header: String) -> [String: String] {
        var parameters: [String: String] = [:]
        var rest = Substring(header)
        // Skip the disposition type (or media type) before the first `;`.
        guard let first = rest.firstIndex(of: ";") else { return [:] }
        rest = rest[rest.index(after: first)...]
        while !rest.isEmpty {
            rest = rest.drop { $0 == " " || $0 == "\t" || $0 == ";" }
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                var escaped = false
                while let character = rest.first {
                    rest = rest.dropFirst()
                    if escaped { value.append(character); escaped = false }
                    else if character == "\\" { escaped = true }
                    else if character == "\"" { break }
                    else { value.append(character) }
                }
            } else {
                let end = rest.firstIndex(of: ";") ?? rest.endIndex
                value = rest[..<end].trimmingCharacters(in: .whitespaces)
                rest = rest[end...]
            }
            if parameters[key] == nil { parameters[key] = value }
        }
        return parameters
    }

    /// RFC 5987's `UTF-8''%E2%82%AC.pdf`; nil when it is not that.
    private static func decodeExtended(_ value: String) -> String? {
        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
        return parts[2].removingPercentEncoding
    }
}
