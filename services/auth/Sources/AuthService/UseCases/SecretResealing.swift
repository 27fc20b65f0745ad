import Foundation
import ServiceKit

/// Run at startup: every stored secret that is not sealed under the current key is sealed under
/// it, whether it was stored before sealing began (plaintext) or under an older key. This is how
/// keys rotate (README). A value no configured key opens stops startup: a wrong key list must
/// not start a service that cannot read its own secrets. The signing keys (a handful) are all
/// opened, so a different key under the current name stops it too.
struct SecretResealing: Sendable {
    static let batchSize = 500

    let users: UserStore
    let signingKeys: SigningKeyStore
    let sealer: SecretSealer

    func run() async throws {
        for (kid, stored) in try await signingKeys.storedKeys() {
            guard let sealed = try resealed(stored, for: SigningKeyStore.row(kid), what: "signing key \(kid)") else { continue }
            try await signingKeys.replaceStoredKey(kid: kid, from: stored, to: sealed)
        }
        var after: UUID?
        while true {
            let batch = try await users.totpSecretsToReseal(after: after, limit: Self.batchSize)
            for (userID, stored) in batch {
                let row = UserStore.totpSecretRow(userID)
                guard let sealed = try resealed(stored, for: row, what: "the TOTP secret of user \(userID.apiString)") else { continue }
                try await users.replaceStoredTOTPSecret(userID: userID, from: stored, to: sealed)
            }
            guard batch.count == Self.batchSize, let last = batch.last else { return }
            after = last.userID
        }
    }

    private func resealed(_ stored: String, for row: String, what: String) throws -> String? {
        do {
            return try sealer.resealed(stored, for: row)
        } catch {
            throw StartupError("\(what) cannot be read: \(error)")
        }
    }
}
