import Configuration
import Foundation
import ServiceKit

/// Rooms' configuration: the common settings plus its own (each an environment variable, see README).
public struct RoomsSettings: Sendable {
    public var service: ServiceConfig
    /// bcrypt cost for room passwords (`BCRYPT_COST`, like auth's).
    public var bcryptCost: UInt8
    /// Wrong room passwords per user and room before a lockout of `passwordLockoutSeconds`.
    public var passwordMaxFailures: Int
    public var passwordLockoutSeconds: Int

    public init(reader: ConfigReader) {
        self.service = ServiceConfig(serviceName: "rooms", defaultPort: 8082, reader: reader)
        self.bcryptCost = UInt8(clamping: max(4, min(31, reader.int(forKey: "bcrypt.cost", default: 12))))
        self.passwordMaxFailures = reader.int(forKey: "room.password.max.failures", default: 5)
        self.passwordLockoutSeconds = reader.int(forKey: "room.password.lockout.seconds", default: 15 * 60)
    }
}
