import Foundation
import HTTPTypes
import ServiceKit
import Testing
import TestSupport

@Suite struct RegistrationTests {
    @Test func registeringReturnsATokenAndThePublicUser() async throws {
        try await withAuthService { client in
            let username = uniqueUsername("Alice")
            let reply = try await client.call(.post, "/auth/register", json: ["username": username, "password": "s3cret-pass", "display_name": "Alice A."])
            #expect(reply.status == .created)
            #expect(reply.headers[.contentType]?.hasPrefix("application/json") == true)
            let user = try #require(reply["user"] as? [String: Any])
            #expect(user["username"] as? String == username)
            #expect(user["display_name"] as? String == "Alice A.")
            #expect(user["status"] as? String == "online")
            #expect(user["avatar_url"] is NSNull)
            #expect(user["totp_enabled"] as? Bool == false)
            #expect(user["password_hash"] == nil)
            let createdAt = try #require(user["created_at"] as? String)
            #expect(createdAt.range(of: #"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$"#, options: .regularExpression) != nil)
            let token = try #require(reply["token"] as? String)
            #expect(token.split(separator: ".").count == 3)
            #expect(reply["expires_at"] is String)

            let me = try await client.call(.get, "/auth/me", token: token)
            #expect(me.status == .ok)
            #expect(me["username"] as? String == username)
        }
    }

    @Test func displayNameDefaultsToTheUsername() async throws {
        try await withAuthService { client in
            let username = uniqueUsername()
            let reply = try await client.call(.post, "/auth/register", json: ["username": username, "password": "long enough"])
            #expect((reply["user"] as? [String: Any])?["display_name"] as? String == username)
        }
    }

    @Test(arguments: [
        (["username": "ab", "password": "long enough"], "username"),
        (["username": String(repeating: "a", count: 21), "password": "long enough"], "username"),
        (["username": "has space", "password": "long enough"], "username"),
        (["username": "dash-name", "password": "long enough"], "username"),
        (["username": "ünïcode", "password": "long enough"], "username"),
        (["username": "valid_name", "password": "short"], "password"),
        (["username": "valid_name", "password": String(repeating: "p", count: 73)], "password"),
        (["username": "valid_name", "password": "long enough", "display_name": ""], "display_name"),
        (["username": "valid_name", "password": "long enough", "display_name": String(repeating: "d", count: 51)], "display_name"),
    ])
    func invalidFieldsAreRejectedNamingTheField(body: [String: String], field: String) async throws {
        try await withAuthService { client in
            let reply = try await client.call(.post, "/auth/register", json: body)
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "validation_failed")
            #expect(reply.errorField == field)
            let login = try await client.call(.post, "/auth/login", json: ["username": body["username"]!, "password": body["password"]!])
            #expect(login.status != .ok, "nothing was created")
        }
    }

    @Test func usernamesAreUniqueIgnoringCase() async throws {
        try await withAuthService { client in
            let username = uniqueUsername("Bob")
            _ = try await client.register(username)
            let reply = try await client.call(.post, "/auth/register", json: ["username": username.uppercased(), "password": "another pass"])
            #expect(reply.status == .conflict)
            #expect(reply.errorCode == "username_taken")
        }
    }

    @Test func malformedBodiesAreBadRequests() async throws {
        try await withAuthService { client in
            let notJSON = try await client.call(.post, "/auth/register", rawBody: "{not json")
            #expect(notJSON.status == .badRequest)
            #expect(notJSON.errorCode == "bad_request")
            let missing = try await client.call(.post, "/auth/register", json: ["username": "someone"])
            #expect(missing.status == .badRequest)
            #expect(missing.errorCode == "validation_failed")
            #expect(missing.errorField == "password")
            let wrongType = try await client.call(.post, "/auth/register", json: ["username": 42, "password": "long enough"])
            #expect(wrongType.status == .badRequest)
            #expect(wrongType.errorCode == "bad_request")
            #expect(wrongType.errorField == "username")
            let body = String(decoding: wrongType.body, as: UTF8.self)
            #expect(!body.contains("Swift") && !body.contains("String"), "no internals in error bodies")
        }
    }

    /// Issue 15, build item 1: registrations per client address are limited.
    @Test func registrationsFromOneAddressAreLimited() async throws {
        try await withAuthService(settings: ["REGISTER_RATE_LIMIT": "3", "REGISTER_RATE_WINDOW_SECONDS": "3600"]) { client in
            let address = uniqueAddress()
            for _ in 0..<4 {
                let invalid = try await client.call(.post, "/auth/register", json: ["username": "x", "password": "long enough"], headers: from(address))
                #expect(invalid.status == .badRequest, "refused input uses no registration")
            }
            for _ in 0..<3 { _ = try await client.register(headers: from(address)) }
            let refused = try await client.call(.post, "/auth/register", json: ["username": uniqueUsername(), "password": "long enough"], headers: from(address))
            #expect(refused.status == .tooManyRequests)
            #expect(refused.errorCode == "rate_limited")
            #expect((3000...3600).contains(refused.headers[.retryAfter].flatMap(Int.init) ?? 0))
            _ = try await client.register(headers: from(uniqueAddress()))
        }
    }

    @Test func oversizedBodiesAreRejected() async throws {
        try await withAuthService { client in
            let huge = String(repeating: "x", count: 2 << 20)
            let reply = try await client.call(.post, "/auth/register", json: ["username": "big", "password": huge])
            #expect(reply.status == .contentTooLarge)
            #expect(reply.errorCode == "payload_too_large")
        }
    }
}
