import Foundation
import ServiceKit

/// A frame from the client: `{"type": ..., "data": {...}, "ref": ...}`.
struct ClientFrame: Decodable {
    let type: String
    let data: JSONValue?
    let ref: String?
}

/// A frame to the client. Keys are written as API.md spells them.
struct ServerFrame {
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

    /// The room's events since the client's last may not all come: fetch its newer messages.
    static func refetchRequired(_ room: UUID) -> ServerFrame {
        ServerFrame(type: "refetch_required", data: .object(["room_id": .string(room.apiString)]), ref: nil)
    }

    /// The frame's JSON with its keys in a fixed order, `type` first, so a client can dispatch on
    /// the start of the text. Written directly (`data` already carries API key spelling): every
    /// notification is a frame of its own, and an encoder per frame cost more than the rest.
    func text() -> String {
        var text = #"{"type":"# + JSONValue.string(type).jsonText
        if let eventID { text += #","event_id":"# + JSONValue.string(eventID).jsonText }
        if let ref { text += #","ref":"# + JSONValue.string(ref).jsonText }
        if let data { text += #","data":"# + data.jsonText }
        return text + "}"
    }
}
