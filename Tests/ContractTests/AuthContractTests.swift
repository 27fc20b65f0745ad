import AuthAPI
import AuthService
import Foundation
import HummingbirdTesting
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import ServiceKit
import Testing
import TestSupport

/// Runs the real auth service and drives it through its generated client, which decodes every
/// reply strictly against `services/auth/openapi.yaml`: a reply that drifts from the contract
/// (a missing key, a wrong type, an undocumented status) fails here before it breaks a consumer.
@Suite struct AuthContractTests {
    static func client(port: Int, token: String? = nil) -> Client {
        Client(
            serverURL: URL(string: "http://127.0.0.1:\(port)")!,
            configuration: .init(dateTranscoder: .iso8601WithFractionalSeconds),
            transport: AsyncHTTPClientTransport(),
            middlewares: token.map { [BearerTokenMiddleware(token: $0)] } ?? [])
    }

    @Test func everyOperationAnswersAsTheContractSays() async throws {
        let overrides = try await TestEnvironment.serviceOverrides()
        let app = try await buildApplication(settings: AuthSettings(reader: TestEnvironment.reader(overrides)))
        try await app.test(.live) { testClient in
            let port = try #require(testClient.port)
            let anonymous = Self.client(port: port)
            let username = "ct_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()

            let session = try await anonymous.register(body: .json(.init(username: username, password: "contract pass", displayName: nil)))
                .created.body.json
            #expect(session.user.value1.username == username)
            let badRegister = try await anonymous.register(body: .json(.init(username: "x", password: "contract pass")))
            #expect(try badRegister.badRequest.body.json.error.code == "validation_failed")

            let login = try await anonymous.login(body: .json(.init(username: username, password: "contract pass"))).ok.body.json
            let wrong = try await anonymous.login(body: .json(.init(username: username, password: "wrong password")))
            #expect(try wrong.unauthorized.body.json.error.code == "unauthorized")

            let signedIn = Self.client(port: port, token: login.token)
            let me = try await signedIn.getMe().ok.body.json
            #expect(me.value2.totpEnabled == false)
            _ = try await signedIn.getUser(path: .init(id: me.value1.id)).ok.body.json
            let found = try await signedIn.searchUsers(query: .init(q: username, limit: 5)).ok.body.json
            #expect(found.users.map(\.username) == [username])
            let updated = try await signedIn.updateMe(body: .json(.init(displayName: "Contract", status: .busy))).ok.body.json
            #expect(updated.value1.status == .busy)
            let setup = try await signedIn.setupTwoFactor().ok.body.json
            #expect(!setup.secret.isEmpty)
            let enable = try await signedIn.enableTwoFactor(body: .json(.init(code: "000000", password: "contract pass")))
            #expect(try enable.badRequest.body.json.error.code == "invalid_totp")
            let noPassword = try await signedIn.enableTwoFactor(body: .json(.init(code: "000000")))
            #expect(try noPassword.unauthorized.body.json.error.code == "unauthorized")
            let recoveryCodes = try await signedIn.regenerateRecoveryCodes(body: .json(.init(code: "000000", password: "contract pass")))
            #expect(try recoveryCodes.badRequest.body.json.error.code == "totp_not_enabled")

            let other = try await anonymous.login(body: .json(.init(username: username, password: "contract pass"))).ok.body.json
            let sessions = try await signedIn.listSessions().ok.body.json.sessions
            #expect(sessions.count == 3)
            #expect(sessions.filter(\.current).count == 1)
            _ = try await signedIn.endSession(path: .init(id: try #require(sessions.first { !$0.current }?.id))).noContent
            _ = try await signedIn.endSession(path: .init(id: UUID().uuidString)).notFound
            _ = try await signedIn.endOtherSessions().noContent
            _ = try await Self.client(port: port, token: other.token).getMe().unauthorized
            let weak = try await signedIn.changePassword(body: .json(.init(currentPassword: "contract pass", newPassword: "short")))
            #expect(try weak.badRequest.body.json.error.code == "validation_failed")
            let wrongCurrent = try await signedIn.changePassword(body: .json(.init(currentPassword: "not it at all", newPassword: "contract pass 2")))
            #expect(try wrongCurrent.unauthorized.body.json.error.code == "unauthorized")
            _ = try await signedIn.changePassword(body: .json(.init(currentPassword: "contract pass", newPassword: "contract pass 2"))).noContent
            #expect(try await anonymous.getJWKS().ok.body.json.keys.count == 1)
            _ = try await anonymous.getReadiness().ok
            _ = try await signedIn.logout().noContent
            _ = try await signedIn.getMe().unauthorized
        }
    }
}
