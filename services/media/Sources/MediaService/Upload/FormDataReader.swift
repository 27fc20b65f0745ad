import Foundation
import MultipartKit
import NIOCore

/// Reads a `multipart/form-data` body chunk by chunk and reports what happens to its file part
/// (the part named `file`): its headers, its bytes as they arrive, its end. Other parts are
/// skipped. Nothing is buffered beyond the chunk at hand.
struct FormDataReader {
    enum Event {
        case fileStarted(filename: String, contentType: String?)
        case fileBytes(ByteBuffer)
        case fileEnded
    }

    static let fileField = "file"

    private let parser: MultipartParser
    private let state = State()

    /// What the parser's callbacks saw, handed out by `read`.
    private final class State {
        var headers: [(String, String)] = []
        var inFilePart = false
        var fileSeen = false
        var events: [Event] = []
    }

    init(contentType: String?) throws(FormDataError) {
        guard let boundary = Self.boundary(of: contentType) else { throw .notFormData }
        parser = MultipartParser(boundary: boundary)
        parser.onHeader = { [state] name, value in state.headers.append((name, value)) }
        parser.onBody = { [state] body in
            if !state.headers.isEmpty {
                Self.startPart(state)
            }
            if state.inFilePart { state.events.append(.fileBytes(body)) }
        }
        parser.onPartComplete = { [state] in
            if !state.headers.isEmpty { Self.startPart(state) }
            if state.inFilePart { state.events.append(.fileEnded) }
            state.inFilePart = false
        }
    }

    /// Feeds the next chunk of the body; returns what it completed.
    func read(_ chunk: ByteBuffer) throws(FormDataError) -> [Event] {
        do {
            try parser.execute(chunk)
        } catch {
            throw .malformed
        }
        defer { state.events.removeAll(keepingCapacity: true) }
        return state.events
    }

    /// A part's headers are complete once its body starts (or it ends empty).
    private static func startPart(_ state: State) {
        let disposition = state.headers.first { $0.0.lowercased() == "content-disposition" }?.1 ?? ""
        let contentType = state.headers.first { $0.0.lowercased() == "content-type" }?.1
        state.headers.removeAll()
        let parameters = dispositionParameters(disposition)
        guard !state.fileSeen, parameters["name"] == fileField else { return }
        state.fileSeen = true
        state.inFilePart = true
        state.events.append(.fileStarted(filename: parameters["filename*"].flatMap(decodeExtended) ?? parameters["filename"] ?? "", contentType: contentType))
    }

    static func boundary(of contentType: String?) -> String? {
        guard let contentType, contentType.lowercased().hasPrefix("multipart/form-data") else { return nil }
        let boundary = dispositionParameters(contentType)["boundary"]
        guard let boundary, (1...70).contains(boundary.count) else { return nil }
        return boundary
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

    /// RFC 5987's `UTF-8''%E2%82%AC.pdf`.
    private static func decodeExtended(_ value: String) -> String? {
        let parts = value.split(separator: "'", maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].lowercased() == "utf-8" else { return nil }
        return parts[2].removingPercentEncoding
    }
}

/// Why a body is not an upload.
enum FormDataError: Error {
    case notFormData
    case malformed
}
