import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// The REST calls the load needs, through the gateway as any client makes them.
struct GatewayAPI: Sendable {
    let http: HTTPClient
    let base: String

    func call(_ method: HTTPMethod, _ path: String, body: [String: Any]? = nil, token: String? = nil) async throws -> (Int, [String: Any]) {
        var request = HTTPClientRequest(url: base + path)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body)))
        }
        let reply = try await http.execute(request, timeout: .seconds(30))
        let bytes = try await reply.body.collect(upTo: 1 << 20)
        let json = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] ?? [:]
        return (Int(reply.status.code), json)
    }

    /// A new user: (id, token).
    func register(_ username: String) async throws -> (String, String) {
        let (status, json) = try await call(.POST, "/auth/register", body: ["username": username, "password": "load generator password"])
        guard status == 201, let token = json["token"] as? String, let id = (json["user"] as? [String: Any])?["id"] as? String else {
            throw LoadError("register \(username): \(status) \(json)")
        }
        return (id, token)
    }

    func createRoom(token: String) async throws -> String {
        let (status, json) = try await call(.POST, "/rooms", body: ["name": "load \(UUID().uuidString.prefix(8))", "type": "public"], token: token)
        guard status == 201, let id = json["id"] as? String else { throw LoadError("create room: \(status) \(json)") }
        return id
    }

    func join(_ room: String, token: String) async throws {
        let (status, json) = try await call(.POST, "/rooms/\(room)/join", token: token)
        guard status == 200 else { throw LoadError("join: \(status) \(json)") }
    }

    /// The id of the message sent (201), or nil.
    func post(_ content: String, to room: String, token: String) async throws -> String? {
        let (status, json) = try await call(.POST, "/rooms/\(room)/messages", body: ["content": content], token: token)
        return status == 201 ? json["id"] as? String : nil
    }

    /// True when the message was accepted (201).
    func send(_ content: String, clientID: String, to room: String, token: String) async -> Bool {
        (try? await call(.POST, "/rooms/\(room)/messages", body: ["content": content, "client_id": clientID], token: token).0) == 201
    }
}

/// Runs `work` for each item, at most `width` at a time.
func forEach<T: Sendable>(_ items: [T], width: Int, _ work: @escaping @Sendable (T) async throws -> Void) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
        var iterator = items.makeIterator()
        for _ in 0..<width {
            guard let item = iterator.next() else { break }
            group.addTask { try await work(item) }
        }
        while try await group.next() != nil {
            if let item = iterator.next() { group.addTask { try await work(item) } }
        }
    }
}
