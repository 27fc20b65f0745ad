import Foundation
import HTTPTypes
import Testing
import TestSupport

/// `POST /auth/password` (issue 15, row 5): the current password, then every other session ends.
@Suite struct PasswordChangeTests {
    @Test func changingThePasswordTakesTheCurrentOneAndEndsEveryOtherSession() async throws {
        try await withAuthService { client in
            let user = try await client.register()
            let otherSession = try await client.login(user.username)

            let wrong = try await client.call(
                .post, "/auth/password", json: ["current_password": "not the password", "new_password": "a new password"], token: user.token)
            #expect(wrong.status == .unauthorized)
            #expect(wrong.errorCode == "unauthorized")
            let missing = try await client.call(.post, "/auth/password", json: ["new_password": "a new password"], token: user.token)
            #expect(missing.status == .unauthorized)
            #expect(try await client.call(.get, "/auth/me", token: otherSession).status == .ok, "nothing changed yet")

            let changed = try await client.call(
                .post, "/auth/password", json: ["current_password": "correct horse battery", "new_password": "a new password"], token: user.token)
            #expect(changed.status == .noContent)
            #expect(try await client.call(.get, "/auth/me", token: otherSession).status == .unauthorized)
            #expect(try await client.call(.get, "/auth/me", token: user.token).status == .ok)
            #expect(try await client.call(.post, "/auth/login", json: ["username": user.username, "password": "correct horse battery"]).status == .unauthorized)
            _ = try await client.login(user.username, password: "a new password")
        }
    }

    @Test(arguments: ["short", String(repeating: "p", count: 73)])
    func anInvalidNewPasswordIsRefusedAndChangesNothing(newPassword: String) async throws {
        try await withAuthService { client in
            let user = try await client.register()
            let otherSession = try await client.login(user.username)
            let reply = try await client.call(
                .post, "/auth/password", json: ["current_password": "correct horse battery", "new_password": newPassword], token: user.token)
            #expect(reply.status == .badRequest)
            #expect(reply.errorCode == "validation_failed")
            #expect(reply.errorField == "new_password")
            #expect(try await client.call(.get, "/auth/me", token: otherSession).status == .ok)
            _ = try await client.login(user.username)
        }
    }
}
