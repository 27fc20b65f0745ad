import Configuration
import Foundation
import ServiceKit

/// Auth's configuration: the common settings plus its own (each an environment variable, see README).
public struct AuthSettings: Sendable {
    public var service: ServiceConfig
    /// bcrypt cost (`BCRYPT_COST`); tests use the minimum, 4.
    public var bcryptCost: UInt8
    public var tokenLifetime: TimeInterval
    /// Failed logins (or 2FA codes) per account before a lockout of `loginLockoutSeconds`.
    public var loginMaxFailures: Int
    public var loginLockoutSeconds: Int
    /// How long a signing key signs before auth starts a new one (`KEY_ROTATION_DAYS`).
    public var keyRotationInterval: TimeInterval

    var issuer: String { service.jwtIssuer }
    var audience: String { service.jwtAudience }

    public init(reader: ConfigReader) {
        self.service = ServiceConfig(serviceName: "auth", defaultPort: 8081, reader: reader)
        self.bcryptCost = UInt8(clamping: max(4, min(31, reader.int(forKey: "bcrypt.cost", default: 12))))
        self.tokenLifetime = TimeInterval(reader.int(forKey: "token.lifetime.seconds", default: 24 * 3600))
        self.loginMaxFailures = reader.int(forKey: "login.max.failures", default: 5)
        self.loginLockoutSeconds = reader.int(forKey: "login.lockout.seconds", default: 15 * 60)
        self.keyRotationInterval = TimeInterval(reader.int(forKey: "key.rotation.days", default: 30) * 86400)
    }
}
