import Foundation
import ServiceKit

/// A frame from the client: `{"type": ..., "data": {...}, "ref": ...}`.
struct ClientFrame: Decodable {
    let type: String
    let data: JSONValue?
    let ref: String?
}

/// A frame to the client. Keys are written as API.md spells them.
struct ServerFrame: Encodable {
    let type: String
    let data: JSONValue?
    let ref: String?
    /// Set on frames made from a room event: orders events (API.md).
    var eventID: String? = nil

    static func ready(user: JSONValue, sessionID: String) -> ServerFrame {
        ServerFrame(type: "ready", data: .object(["user": user, "session_id": .string(sessionID)]), ref: nil)
    }

    static func error(code: String, message: String, ref: String?) -> ServerFrame {
        ServerFrame(type: "error", data: .object(["code": .string(code), "message": .string(message)]), ref: ref)
    }

    /// An error as REST would word it: `code`, `message`, and `details` when it has any.
    static func error(_ error: AppError, ref: String?) -> ServerFrame {
        var data: [String: JSONValue] = ["code": .string(error.code), "message": .string(error.message)]
        if !error.details.isEmpty { data["details"] = .object(error.details.mapValues(JSONValue.string)) }
        return ServerFrame(type: "error", data: .object(data), ref: ref)
    }

    static func ack(_ data: JSONValue, ref: String?) -> ServerFrame {
        ServerFrame(type: "ack", data: data, ref: ref)
    }

    static func pong(ref: String?) -> ServerFrame {
        ServerFrame(type: "pong", data: nil, ref: ref)
    }

    func text() -> String {
        // Plain encoder: `data` already carries API key spelling and must not be re-cased.
        let data = (try? JSONEncoder().encode(self)) ?? Data(#"{"type":"error"}"#.utf8)
        return String(decoding: data, as: UTF8.self)
    }

    enum CodingKeys: String, CodingKey {
        case type, data, ref
        case eventID = "event_id"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        try container.encodeIfPresent(data, forKey: .data)
        try container.encodeIfPresent(ref, forKey: .ref)
        try container.encodeIfPresent(eventID, forKey: .eventID)
    }
}
