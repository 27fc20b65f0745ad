import AuthAPI
import Foundation
import ServiceKit

/// Editing one's own profile. Each change is also a `user_updated` event (on the user's stream),
/// so the gateway can tell others of a new status and search can show new names.
struct Profiles: Sendable {
    let users: UserStore
    let outbox: Outbox

    struct UserUpdatedPayload: Encodable, Sendable {
        let user: UserResponse
    }

    func update(_ id: UUID, change: ProfileChange) async throws -> User {
        try await outbox.transaction { tx in
            // The account is gone: its token is as good as revoked.
            guard let user = try await users.update(id: id, change: change, on: tx.connection) else { throw AppError.unauthorized() }
            try await tx.emit(AuthEventType.userUpdated.rawValue, stream: id.apiString, data: UserUpdatedPayload(user: UserResponse(user: user, includePrivateFields: false)))
            return user
        }
    }
}
