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
    /// Wrong room passwords per user across all rooms before the same lockout.
    public var passwordUserMaxFailures: Int
    public var passwordLockoutSeconds: Int
    /// Rooms created per user (`ROOM_CREATE_RATE_LIMIT` per `ROOM_CREATE_RATE_WINDOW_SECONDS`).
    public var roomCreateLimit: RateLimitSetting
    /// Invite links created plus members added, per user (`INVITE_RATE_LIMIT` per `INVITE_RATE_WINDOW_SECONDS`).
    public var inviteLimit: RateLimitSetting

    public init(reader: ConfigReader) {
        self.service = ServiceConfig(serviceName: "rooms", defaultPort: 8082, reader: reader)
        self.bcryptCost = UInt8(clamping: max(4, min(31, reader.int(forKey: "bcrypt.cost", default: 12))))
        self.passwordMaxFailures = reader.int(forKey: "room.password.max.failures", default: 5)
        self.passwordUserMaxFailures = reader.int(forKey: "room.password.user.max.failures", default: 20)
        self.passwordLockoutSeconds = reader.int(forKey: "room.password.lockout.seconds", default: 15 * 60)
        self.roomCreateLimit = RateLimitSetting("room.create", reader: reader, limit: 20, windowSeconds: 60 * 60)
        self.inviteLimit = RateLimitSetting("invite", reader: reader, limit: 60, windowSeconds: 10 * 60)
    }
}
