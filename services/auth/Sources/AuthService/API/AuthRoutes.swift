import Foundation
import Hummingbird
import ServiceKit

/// `/auth/*`: register, login, logout, me, sessions, the password, and 2FA.
struct AuthRoutes {
    let accounts: Accounts
    let sessions: Sessions
    let twoFactor: TwoFactor
    let users: UserStore

    func addPublic(to router: Router<ServiceRequestContext>) {
        router.post("/auth/register") { request, context -> EditedResponse<SessionResponse> in
            let body = try await request.decode(as: RegisterRequest.self, context: context)
            let signedIn = try await accounts.register(
                username: body.username, password: body.password, displayName: body.displayName, from: Self.client(request, context))
            return EditedResponse(status: .created, response: SessionResponse(signedIn))
        }
        router.post("/auth/login") { request, context -> SessionResponse in
            let body = try await request.decode(as: LoginRequest.self, context: context)
            return SessionResponse(try await accounts.login(
                username: body.username, password: body.password, totpCode: body.totpCode, from: Self.client(request, context)))
        }
    }

    func addAuthenticated(to group: RouterGroup<ServiceRequestContext>) {
        group.post("/auth/logout") { _, context -> HTTPResponse.Status in
            let identity = try context.requireIdentity()
            try await sessions.end(identity.sessionID, of: identity)
            return .noContent
        }
        group.get("/auth/me") { _, context -> UserResponse in
            guard let user = try await users.find(id: try context.requireIdentity().userID) else { throw AppError.unauthorized() }
            return UserResponse(user: user, includePrivateFields: true)
        }
        group.get("/auth/sessions") { _, context -> SessionListResponse in
            SessionListResponse(sessions: try await sessions.list(for: try context.requireIdentity()).map(ListedSessionResponse.init))
        }
        group.delete("/auth/sessions") { _, context -> HTTPResponse.Status in
            try await sessions.endOthers(of: try context.requireIdentity())
            return .noContent
        }
        group.delete("/auth/sessions/:id") { _, context -> HTTPResponse.Status in
            try await sessions.end(try context.parameters.requireID("id"), of: try context.requireIdentity())
            return .noContent
        }
        group.post("/auth/password") { request, context -> HTTPResponse.Status in
            let body = try await request.decode(as: PasswordChangeRequest.self, context: context)
            try await accounts.changePassword(try context.requireIdentity(), current: body.currentPassword, new: body.newPassword)
            return .noContent
        }
        group.post("/auth/2fa/setup") { _, context -> TOTPSetupResponse in
            let setup = try await twoFactor.setup(userID: try context.requireIdentity().userID)
            return TOTPSetupResponse(secret: setup.secret, otpauthUri: setup.otpauthURI)
        }
        group.post("/auth/2fa/enable") { request, context -> RecoveryCodesResponse in
            let body = try await request.decode(as: StepUpCodeRequest.self, context: context)
            return RecoveryCodesResponse(recoveryCodes: try await twoFactor.enable(try context.requireIdentity(), code: body.code, password: body.password))
        }
        group.post("/auth/2fa/disable") { request, context -> HTTPResponse.Status in
            let body = try await request.decode(as: StepUpCodeRequest.self, context: context)
            try await twoFactor.disable(try context.requireIdentity(), code: body.code, password: body.password)
            return .noContent
        }
        group.post("/auth/2fa/recovery-codes") { request, context -> RecoveryCodesResponse in
            let body = try await request.decode(as: StepUpCodeRequest.self, context: context)
            return RecoveryCodesResponse(
                recoveryCodes: try await twoFactor.regenerateRecoveryCodes(try context.requireIdentity(), code: body.code, password: body.password))
        }
    }

    /// Who is signing in: the client's address (behind trusted proxies) and its `User-Agent`.
    private static func client(_ request: Request, _ context: ServiceRequestContext) -> Accounts.Client {
        Accounts.Client(address: context.clientKey, userAgent: UserAgent.kept(request.headers[.userAgent]))
    }
}
