import Configuration
import Foundation
import ServiceKit

/// Auth's configuration: the common settings plus its own (each an environment variable, see README).
public struct AuthSettings: Sendable {
    public var service: ServiceConfig
    /// bcrypt cost (`BCRYPT_COST`); tests use the minimum, 4.
    public var bcryptCost: UInt8
    public var tokenLifetime: TimeInterval
    /// Attempts per account from one client address (`LOGIN_MAX_FAILURES`) before that pair is
    /// paused for the rest of `loginLockoutSeconds`; also each user's budget of password and code
    /// checks at the security settings (2FA, recovery codes, password change).
    public var loginMaxFailures: Int
    /// Failed logins from one client address across all accounts within the same window
    /// (`LOGIN_ADDRESS_MAX_FAILURES`).
    public var loginAddressMaxFailures: Int
    public var loginLockoutSeconds: Int
    /// Registrations per client address (`REGISTER_RATE_LIMIT` per `REGISTER_RATE_WINDOW_SECONDS`).
    public var registerRate: RateLimitSetting
    /// How long a signing key signs before auth starts a new one (`KEY_ROTATION_DAYS`).
    public var keyRotationInterval: TimeInterval
    /// `AUTH_ENCRYPTION_KEYS`: `kid:<base64 of 32 bytes>` entries, the first sealing; nil when unset.
    var encryptionKeys: String?

    var issuer: String { service.jwtIssuer }
    var audience: String { service.jwtAudience }

    public init(reader: ConfigReader) {
        self.service = ServiceConfig(serviceName: "auth", defaultPort: 8081, reader: reader)
        self.bcryptCost = UInt8(clamping: max(4, min(31, reader.int(forKey: "bcrypt.cost", default: 12))))
        self.tokenLifetime = TimeInterval(reader.int(forKey: "token.lifetime.seconds", default: 24 * 3600))
        self.loginMaxFailures = max(1, reader.int(forKey: "login.max.failures", default: 5))
        self.loginAddressMaxFailures = max(1, reader.int(forKey: "login.address.max.failures", default: 50))
        self.loginLockoutSeconds = max(1, reader.int(forKey: "login.lockout.seconds", default: 15 * 60))
        self.registerRate = RateLimitSetting("register", reader: reader, limit: 10, windowSeconds: 3600)
        self.keyRotationInterval = TimeInterval(reader.int(forKey: "key.rotation.days", default: 30) * 86400)
        self.encryptionKeys = reader.string(forKey: "auth.encryption.keys", isSecret: true)
    }

    /// The keys that seal secrets at rest. Without `AUTH_ENCRYPTION_KEYS` auth starts only in
    /// development mode, and then with the well-known development key.
    func secretSealer() throws -> SecretSealer {
        guard let encryptionKeys, !encryptionKeys.isEmpty else {
            guard service.developmentMode else {
                throw StartupError(
                    "AUTH_ENCRYPTION_KEYS is not set: give auth its key (kid:<base64 of 32 random bytes>), or set DEVELOPMENT_MODE=true for a local run")
            }
            return SecretSealer.development
        }
        return try SecretSealer(configured: encryptionKeys)
    }
}
