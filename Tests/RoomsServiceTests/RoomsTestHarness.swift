import HTTPTypes
import Foundation
import HummingbirdTesting
import NeighbourFakes
import ServiceKit
import Testing
import TestSupport

@testable import RoomsService

/// A live rooms service on a fresh database, alone: auth is stood in for by test tokens and a
/// directory of the users the test signed up (the contract tests hold the real auth to them).
struct RoomsStack: Sendable {
    let rooms: any TestClientProtocol
    let roomsPort: Int
    let clock: TestClock
    let tokens: TestTokens
    let users: TestUserDirectory

    /// A registered user: their token, id and username.
    struct User: Sendable {
        var token: String
        let id: String
        let username: String
    }

    func register() async throws -> User {
        let username = "r_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let user = users.add(username: username, now: clock.now)
        return User(token: try await tokens.token(for: user.id, now: clock.now), id: user.id.apiString, username: username)
    }

    /// A fresh token for `user` (after the clock moved past the old one's expiry).
    func login(_ user: User) async throws -> User {
        User(token: try await tokens.token(for: UUID(uuidString: user.id)!, now: clock.now), id: user.id, username: user.username)
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
        let tokens = TestTokens()
        let users = TestUserDirectory()
        let rooms = try await RoomsService.buildApplication(
            settings: RoomsSettings(reader: TestEnvironment.reader(overrides)), clock: clock.wallClock,
            neighbours: RoomsNeighbours(tokenKeys: tokens, users: users))
        return try await rooms.test(.live) { roomsClient in
            try await body(RoomsStack(rooms: roomsClient, roomsPort: roomsClient.port!, clock: clock, tokens: tokens, users: users))
        }
    }
}
