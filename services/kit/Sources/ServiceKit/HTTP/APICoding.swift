import Foundation
import Hummingbird

/// JSON as API.md fixes it: snake_case keys, RFC 3339 UTC timestamps with milliseconds.
public enum APIJSON {
    public static func encoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Paths and URLs (`url`, `avatar_url`) as written: no `\/`; no reply is embedded in HTML.
        encoder.outputFormatting = .withoutEscapingSlashes
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Timestamp.format(date))
        }
        return encoder
    }

    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            guard let date = Timestamp.parse(text) else {
                throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an RFC 3339 timestamp")
            }
            return date
        }
        return decoder
    }
}

/// Encodes replies with `APIJSON` and `Content-Type: application/json`.
public struct APIResponseEncoder: ResponseEncoder {
    public init() {}

    public func encode(_ value: some Encodable, from request: Request, context: some RequestContext) throws -> Response {
        try Self.response(value)
    }

    public static func response(_ value: some Encodable, status: HTTPResponse.Status = .ok) throws -> Response {
        let data = try APIJSON.encoder().encode(value)
        return Response(
            status: status, headers: [.contentType: "application/json; charset=utf-8"],
            body: .init(byteBuffer: ByteBuffer(data: data))
        )
    }
}

/// Decodes request bodies with `APIJSON`. A missing required field, or a string Postgres could
/// not store (NUL, an unpaired surrogate), is 400 `validation_failed`, a malformed body or a wrong
/// type 400 `bad_request`; both name the field where they can, and neither carries type names or
/// other internals.
public struct APIRequestDecoder: RequestDecoder {
    public init() {}

    public func decode<T: Decodable>(_ type: T.Type, from request: Request, context: some RequestContext) async throws -> T {
        try Self.decode(T.self, from: try await request.body.collect(upTo: context.maxUploadSize))
    }

    static func decode<T: Decodable>(_ type: T.Type, from buffer: ByteBuffer) throws -> T {
        if let field = StorableText.firstUnstorableField(inJSON: buffer.readableBytesView) {
            throw StorableText.refusal(field: field)
        }
        do {
            return try APIJSON.decoder().decode(T.self, from: Data(buffer: buffer))
        } catch let error as DecodingError {
            throw Self.appError(for: error)
        }
    }

    static func appError(for error: DecodingError) -> AppError {
        // Coding paths hold the Swift names (`userId`); clients know the keys they sent (`user_id`).
        func field(_ path: [any CodingKey]) -> String {
            path.map { $0.intValue.map(String.init) ?? snakeCased($0.stringValue) }.joined(separator: ".")
        }
        switch error {
        case .keyNotFound(let key, let context):
            return .validation(field: field(context.codingPath + [key]), "\(field(context.codingPath + [key])) is required")
        case .valueNotFound(_, let context):
            return .validation(field: field(context.codingPath), "\(field(context.codingPath)) is required")
        case .typeMismatch(_, let context):
            let name = field(context.codingPath)
            return AppError(.badRequest, code: "bad_request", message: "\(name) has the wrong type", details: ["field": name])
        case .dataCorrupted(let context) where !context.codingPath.isEmpty:
            let name = field(context.codingPath)
            return AppError(.badRequest, code: "bad_request", message: "\(name) is malformed", details: ["field": name])
        default:
            return .badRequest("request body is not valid JSON")
        }
    }
}

/// `userId` -> `user_id`, as `JSONEncoder.KeyEncodingStrategy.convertToSnakeCase` spells keys.
func snakeCased(_ name: String) -> String {
    var result = ""
    for character in name {
        if character.isUppercase, !result.isEmpty { result.append("_") }
        result.append(contentsOf: character.lowercased())
    }
    return result
}

extension Request {
    /// The body decoded as `T`, or nil when there is no body: for endpoints whose body is optional
    /// (`POST /rooms/:id/join` with or without a password).
    public func decodeIfPresent<T: Decodable>(as type: T.Type, context: some RequestContext) async throws -> T? {
        var request = self
        let buffer = try await request.collectBody(upTo: context.maxUploadSize)
        guard buffer.readableBytesView.contains(where: { ![0x20, 0x0A, 0x0D, 0x09].contains($0) }) else { return nil }
        return try APIRequestDecoder.decode(T.self, from: buffer)
    }
}

extension Parameters {
    /// A path parameter that must be an id; anything else is 404, like an unknown id.
    public func requireID(_ name: String) throws -> UUID {
        guard let text = get(name), let id = UUID(uuidString: text) else { throw AppError.notFound() }
        return id
    }
}
