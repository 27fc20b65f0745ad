import AuthService
import HTTPTypes
import Foundation
import HummingbirdTesting
import ServiceKit
import Testing
import TestSupport

@testable import RoomsService

/// A live auth service and a live rooms service on one fresh database, sharing one clock.
struct RoomsStack: Sendable {
    let rooms: any TestClientProtocol
    let auth: any TestClientProtocol
    let roomsPort: Int
    let clock: TestClock

    /// A registered user: their token, id and username.
    struct User: Sendable {
        var token: String
        let id: String
        let username: String
    }

    func register() async throws -> User {
        let username = "r_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let reply = try await auth.call(.post, "/auth/register", json: ["username": username, "password": "correct horse battery"])
        guard let token = reply["token"] as? String, let user = reply["user"] as? [String: Any], let id = user["id"] as? String else {
            throw TestFailure("register failed: \(reply.status)")
        }
        return User(token: token, id: id, username: username)
    }

    /// A fresh token for `user` (after the clock moved past the old one's expiry).
    func login(_ user: User) async throws -> User {
        let reply = try await auth.call(.post, "/auth/login", json: ["username": user.username, "password": "correct horse battery"])
        guard let token = reply["token"] as? String else { throw TestFailure("login failed: \(reply.status)") }
        return User(token: token, id: user.id, username: user.username)
    }

    /// Calls rooms as `user`.
    func call(_ method: HTTPRequest.Method, _ uri: String, json: [String: Any]? = nil, as user: User) async throws -> APIReply {
        try await rooms.call(method, uri, json: json, token: user.token)
    }

    /// Creates a room as `owner` and returns its id.
    func createRoom(_ owner: User, type: String = "private", name: String = "Room", password: String? = nil) async throws -> String {
        var body: [String: Any] = ["name": name, "type": type]
        if let password { body["password"] = password }
        let reply = try await call(.post, "/rooms", json: body, as: owner)
        guard reply.status == .created, let id = reply["id"] as? String else {
            throw TestFailure("create room failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return id
    }

    func addMember(_ user: User, to room: String, by admin: User) async throws {
        let reply = try await call(.post, "/rooms/\(room)/members", json: ["user_id": user.id], as: admin)
        guard reply.status == .created else { throw TestFailure("add member failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))") }
    }

    /// The internal membership answer for `user` in `room`.
    func access(_ user: User, in room: String) async throws -> APIReply {
        try await rooms.call(.get, "/internal/rooms/\(room)/members/\(user.id)", token: TestEnvironment.serviceToken)
    }

    func memberIDs(_ room: String, as user: User) async throws -> Set<String> {
        let reply = try await call(.get, "/rooms/\(room)/members", as: user)
        return Set(((reply["members"] as? [[String: Any]]) ?? []).compactMap { ($0["user"] as? [String: Any])?["id"] as? String })
    }
}

func withRooms<T: Sendable>(
    clock: TestClock = TestClock(), settings extra: [String: String] = [:], _ body: @escaping @Sendable (RoomsStack) async throws -> T
) async throws -> T {
    try await withServicesGate {
        let overrides = try await TestEnvironment.serviceOverrides(extra)
        let auth = try await AuthService.buildApplication(settings: AuthSettings(reader: TestEnvironment.reader(overrides)), clock: clock.wallClock)
        return try await auth.test(.live) { authClient in
            let roomsOverrides = overrides.merging(["AUTH_URL": "http://127.0.0.1:\(authClient.port!)"]) { $1 }
            let rooms = try await RoomsService.buildApplication(settings: RoomsSettings(reader: TestEnvironment.reader(roomsOverrides)), clock: clock.wallClock)
            return try await rooms.test(.live) { roomsClient in
                try await body(RoomsStack(rooms: roomsClient, auth: authClient, roomsPort: roomsClient.port!, clock: clock))
            }
        }
    }
}
