import Foundation
import HTTPTypes
import HummingbirdTesting
import NIOCore

/// A reply as a client sees it: status, headers and the JSON body (if any).
public struct APIReply: Sendable {
    public let status: HTTPResponse.Status
    public let headers: HTTPFields
    public let body: Data

    public init(status: HTTPResponse.Status, headers: HTTPFields, body: Data) {
        self.status = status
        self.headers = headers
        self.body = body
    }

    /// The JSON object of the body, or an empty one.
    public var json: [String: any Sendable] {
        ((try? JSONSerialization.jsonObject(with: body)) as? [String: any Sendable]) ?? [:]
    }

    /// `error.code` of an API.md error body.
    public var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    public var errorField: String? { ((json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String }

    public subscript(key: String) -> Any? { json[key] }
}

extension TestClientProtocol {
    /// Sends a JSON body (a dictionary, or raw text when `rawBody` is given) with an optional bearer token.
    public func call(
        _ method: HTTPRequest.Method, _ uri: String, json: [String: Any]? = nil, rawBody: String? = nil,
        token: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> APIReply {
        var headers = extra
        var body: ByteBuffer?
        if let json {
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        } else if let rawBody {
            body = ByteBuffer(string: rawBody)
        }
        if body != nil { headers[.contentType] = "application/json" }
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await execute(uri: uri, method: method, headers: headers, body: body) { response in
            APIReply(status: response.status, headers: response.headers, body: Data(buffer: response.body))
        }
    }
}
