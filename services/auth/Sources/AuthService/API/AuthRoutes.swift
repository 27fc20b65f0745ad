import Foundation
import Hummingbird
import ServiceKit

/// `/auth/*`: register, login, logout, me, and 2FA.
struct AuthRoutes {
    let accounts: Accounts
    let twoFactor: TwoFactor
    let users: UserStore

    func addPublic(to router: Router<ServiceRequestContext>) {
        router.post("/auth/register") { request, context -> EditedResponse<SessionResponse> in
            let body = try await request.decode(as: RegisterRequest.self, context: context)
            let signedIn = try await accounts.register(username: body.username, password: body.password, displayName: body.displayName)
            return EditedResponse(status: .created, response: SessionResponse(signedIn))
        }
        router.post("/auth/login") { request, context -> SessionResponse in
            let body = try await request.decode(as: LoginRequest.self, context: context)
            return SessionResponse(try await accounts.login(
                username: body.username, password: body.password, totpCode: body.totpCode, from: context.clientKey))
        }
    }

    func addAuthenticated(to group: RouterGroup<ServiceRequestContext>) {
        group.post("/auth/logout") { _, context -> HTTPResponse.Status in
            try await accounts.logout(try context.requireIdentity())
            return .noContent
        }
        group.get("/auth/me") { _, context -> UserResponse in
            guard let user = try await users.find(id: try context.requireIdentity().userID) else { throw AppError.unauthorized() }
            return UserResponse(user: user, includePrivateFields: true)
        }
        group.post("/auth/2fa/setup") { _, context -> TOTPSetupResponse in
            let setup = try await twoFactor.setup(userID: try context.requireIdentity().userID)
            return TOTPSetupResponse(secret: setup.secret, otpauthUri: setup.otpauthURI)
        }
        group.post("/auth/2fa/enable") { request, context -> RecoveryCodesResponse in
            let body = try await request.decode(as: CodeRequest.self, context: context)
            return RecoveryCodesResponse(recoveryCodes: try await twoFactor.enable(userID: try context.requireIdentity().userID, code: body.code))
        }
        group.post("/auth/2fa/disable") { request, context -> HTTPResponse.Status in
            let body = try await request.decode(as: CodeRequest.self, context: context)
            try await twoFactor.disable(userID: try context.requireIdentity().userID, code: body.code)
            return .noContent
        }
    }
}
