import Foundation
import Hummingbird

/// The one error type of every service. `code`, `message` and `details` are public (the API.md
/// error body); `internalDetail` is logged and never sent.
public struct AppError: Error, Sendable {
    public var status: HTTPResponse.Status
    public var code: String
    public var message: String
    public var details: [String: String]
    public var headers: HTTPFields
    public var internalDetail: String?

    public init(
        _ status: HTTPResponse.Status, code: String, message: String, details: [String: String] = [:],
        headers: HTTPFields = [:], internalDetail: String? = nil
    ) {
        self.status = status
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
        self.internalDetail = internalDetail
    }
}

extension AppError {
    public static func badRequest(_ message: String) -> AppError {
        AppError(.badRequest, code: "bad_request", message: message)
    }

    /// A well-formed request whose `field` breaks a rule (API.md: 400, never 422).
    public static func validation(field: String, _ message: String) -> AppError {
        AppError(.badRequest, code: "validation_failed", message: message, details: ["field": field])
    }

    public static func unauthorized(_ message: String = "authentication required", code: String = "unauthorized") -> AppError {
        AppError(.unauthorized, code: code, message: message)
    }

    public static func forbidden(_ message: String, code: String = "forbidden") -> AppError {
        AppError(.forbidden, code: code, message: message)
    }

    public static func notFound(_ message: String = "not found") -> AppError {
        AppError(.notFound, code: "not_found", message: message)
    }

    public static func conflict(_ message: String, code: String) -> AppError {
        AppError(.conflict, code: code, message: message)
    }

    public static func payloadTooLarge(limit: Int) -> AppError {
        AppError(.contentTooLarge, code: "payload_too_large", message: "request body exceeds \(limit) bytes")
    }

    public static func rateLimited(retryAfterSeconds: Int) -> AppError {
        let seconds = max(1, retryAfterSeconds)
        return AppError(
            .tooManyRequests, code: "rate_limited", message: "too many requests, retry in \(seconds) s",
            headers: [.retryAfter: String(seconds)]
        )
    }

    public static func serviceUnavailable(_ service: String, internalDetail: String? = nil) -> AppError {
        AppError(.serviceUnavailable, code: "service_unavailable", message: "\(service) is unavailable", internalDetail: internalDetail)
    }

    public static func `internal`(_ detail: String) -> AppError {
        AppError(.internalServerError, code: "internal_error", message: "internal error", internalDetail: detail)
    }
}

extension AppError: HTTPResponseError {
    /// The API.md error body; decodable too, for passing a peer's error on as it was.
    public struct Body: Codable, Sendable {
        public struct Content: Codable, Sendable {
            public let code: String
            public let message: String
            public let details: [String: String]?
        }
        public let error: Content
    }

    /// The API.md error body of this error.
    public var body: Body {
        Body(error: .init(code: code, message: message, details: details.isEmpty ? nil : details))
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var headers = self.headers
        headers[.contentType] = "application/json; charset=utf-8"
        return Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(data: try JSONEncoder().encode(body))))
    }
}

extension AppError: CustomStringConvertible {
    public var description: String {
        "\(status.code) \(code): \(message)" + (internalDetail.map { " (\($0))" } ?? "")
    }
}
