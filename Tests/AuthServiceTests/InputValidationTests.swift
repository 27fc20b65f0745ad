import Foundation
import HTTPTypes
import ServiceKit
import Testing
import TestSupport

/// Issue 15, row 4: identifiers are validated before any key or query holds them; row 8: text
/// Postgres cannot store is a 400 naming its field, never a 500.
@Suite struct InputValidationTests {
    @Test func aHugeUsernameIsRefusedBeforeAnyKeyIsWritten() async throws {
        try await withAuthService { client in
            let tag = "huge" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
            let address = uniqueAddress()
            let redis = try await testRedis()
            let reply = try await client.call(
                .post, "/auth/login", json: ["username": tag + String(repeating: "a", count: 900_000), "password": "whatever pass"],
                headers: from(address))
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "validation_failed")
            #expect(reply.errorField == "username")
            #expect(try await redis.send("KEYS", "*\(tag)*").array?.isEmpty == true, "no key holds the username")
            #expect(try await redis.send("EXISTS", "auth:attempts:login-address:\(address)").int == 0, "the throttle never saw it")

            // The same request with a plausible username does count: the check above can fail.
            _ = try await client.call(.post, "/auth/login", json: ["username": tag, "password": "whatever pass"], headers: from(address))
            #expect(try await redis.send("KEYS", "*\(tag)*").array?.count == 1)
        }
    }

    @Test(arguments: ["a b", "ab", "dash-name", "ünïcode", String(repeating: "n", count: 21)])
    func aLoginWithAnImpossibleUsernameIsAValidationError(username: String) async throws {
        try await withAuthService { client in
            let reply = try await client.call(.post, "/auth/login", json: ["username": username, "password": "whatever pass"])
            #expect(reply.status == .badRequest)
            #expect(reply.errorField == "username")
        }
    }

    @Test func theInternalLookupIgnoresNamesThatCannotBeUsernames() async throws {
        try await withAuthService { client in
            let user = try await client.register()
            let reply = try await client.call(
                .post, "/internal/users/lookup", json: ["usernames": [user.username, String(repeating: "x", count: 500_000), "no such name!"]],
                token: TestEnvironment.serviceToken)
            #expect(reply.status == .ok)
            #expect((reply["users"] as? [[String: Any]])?.compactMap { $0["username"] as? String } == [user.username])
        }
    }

    @Test(arguments: [
        ("/auth/login", ["username": "ali\u{0}ce", "password": "whatever pass"], "username"),
        ("/auth/login", ["username": "alice", "password": "what\u{0}ever"], "password"),
        ("/auth/login", ["username": "alice", "password": "whatever pass", "totp_code": "12\u{0}456"], "totp_code"),
        ("/auth/register", ["username": "nul\u{0}name", "password": "long enough"], "username"),
        ("/auth/register", ["username": "valid_name", "password": "long \u{0}enough"], "password"),
        ("/auth/register", ["username": "valid_name", "password": "long enough", "display_name": "Nul\u{0}"], "display_name"),
    ])
    func aNulCharacterIsAValidationErrorNamingTheField(path: String, body: [String: String], field: String) async throws {
        try await withAuthService { client in
            let reply = try await client.call(.post, path, json: body)
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "validation_failed")
            #expect(reply.errorField == field)
        }
    }

    @Test(arguments: [
        ("/auth/password", ["current_password": "correct\u{0}", "new_password": "a new password"], "current_password"),
        ("/auth/password", ["current_password": "correct horse battery", "new_password": "a new\u{0}password"], "new_password"),
        ("/auth/2fa/enable", ["code": "1234\u{0}6", "password": "correct horse battery"], "code"),
        ("/auth/2fa/disable", ["code": "123456", "password": "correct\u{0}"], "password"),
        ("/auth/2fa/recovery-codes", ["code": "123456", "password": "correct\u{0}"], "password"),
    ])
    func aNulCharacterInASecuritySettingIsAValidationError(path: String, body: [String: String], field: String) async throws {
        try await withAuthService { client in
            let user = try await client.register()
            let reply = try await client.call(.post, path, json: body, token: user.token)
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "validation_failed")
            #expect(reply.errorField == field)
            _ = try await client.login(user.username)
        }
    }

    @Test(arguments: ["display_name", "status_message", "avatar_url"])
    func aNulCharacterInTheProfileIsAValidationError(field: String) async throws {
        try await withAuthService { client in
            let user = try await client.register()
            let reply = try await client.call(.patch, "/users/me", json: [field: "nul\u{0}"], token: user.token)
            #expect(reply.status == .badRequest)
            #expect(reply.errorField == field)
            let search = try await client.call(.get, "/users/search?q=a%00b", token: user.token)
            #expect(search.status == .badRequest)
            #expect(search.errorField == "q")
        }
    }
}
