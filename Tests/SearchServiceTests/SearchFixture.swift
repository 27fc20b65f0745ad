import Foundation
import HummingbirdTesting
import StackSupport
import TestSupport

/// Users and rooms made through the gateway, and searches through it.
struct SearchFixture {
    typealias User = (token: String, id: String, username: String)

    let stack: Stack
    var gateway: any TestClientProtocol { stack.gateway }

    func room(_ owner: User, type: String = "private", members: [User] = []) async throws -> String {
        let created = try await gateway.call(.post, "/rooms", json: ["name": "Search room", "type": type], token: owner.token)
        guard let id = created["id"] as? String else { throw TestFailure("room creation failed: \(created.status)") }
        for member in members {
            let added = try await gateway.call(.post, "/rooms/\(id)/members", json: ["user_id": member.id], token: owner.token)
            guard added.status == .created else { throw TestFailure("adding a member failed: \(added.status)") }
        }
        return id
    }

    /// Sends `content` and returns the message's id.
    @discardableResult
    func send(_ content: String, in room: String, as user: User, extra: [String: Any] = [:]) async throws -> String {
        try await gateway.sendMessage(content, in: room, token: user.token, extra: extra)
    }

    /// `GET /search` with these parameters.
    func search(_ parameters: [(String, String)], as user: User) async throws -> APIReply {
        var components = URLComponents()
        components.path = "/search"
        components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) }
        // `+` is a space to form decoders: encode it, as browsers do.
        let uri = components.string!.replacingOccurrences(of: "+", with: "%2B")
        return try await gateway.call(.get, uri, token: user.token)
    }

    /// The contents of the results of `q` (and other parameters), failing on anything but 200.
    func contents(_ q: String, _ more: [(String, String)] = [], as user: User) async throws -> [String] {
        let reply = try await search([("q", q)] + more, as: user)
        guard reply.status == .ok, let results = reply["results"] as? [[String: Any]] else {
            throw TestFailure("search \(q) failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return results.compactMap { ($0["message"] as? [String: Any])?["content"] as? String }
    }

    /// Waits until `q` finds exactly `count` messages (the index follows messages' events).
    func waitFor(_ q: String, count: Int, as user: User) async throws {
        try await eventually("search \(q) never found \(count)") { try await contents(q, as: user).count == count }
    }
}
