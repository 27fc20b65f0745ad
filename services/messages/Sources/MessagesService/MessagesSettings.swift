import Configuration
import Foundation
import ServiceKit

/// Messages' configuration: the common settings plus its own (each an environment variable, see README).
public struct MessagesSettings: Sendable {
    public var service: ServiceConfig
    /// Rooms' base URL: membership and permissions of every sender and reader.
    public var roomsURL: String
    /// Media's base URL: links the files a message carries.
    public var mediaURL: String
    /// How long after sending its sender may edit a message.
    public var editWindow: TimeInterval
    /// Sends and edits per user, one budget (`SEND_RATE_LIMIT` per `SEND_RATE_WINDOW_SECONDS`), across instances.
    public var sendRate: RateLimitSetting
    /// Reactions added or removed per user.
    public var reactionRate: RateLimitSetting
    /// Reports per user.
    public var reportRate: RateLimitSetting
    /// How long a member's standing in a room is cached (rooms' access epochs retire it sooner).
    public var accessCacheSeconds: Int
    /// How long user objects (senders, reactors) are cached: a renamed user shows within this.
    public var userCacheSeconds: Int
    /// How often due scheduled messages are looked for (`SCHEDULED_DELIVERY_MS`, 1000).
    public var scheduledDeliveryInterval: Duration

    public init(reader: ConfigReader) {
        self.service = ServiceConfig(serviceName: "messages", defaultPort: 8083, reader: reader)
        self.roomsURL = reader.string(forKey: "rooms.url", default: "http://127.0.0.1:8082")
        self.mediaURL = reader.string(forKey: "media.url", default: "http://127.0.0.1:8084")
        self.editWindow = TimeInterval(reader.int(forKey: "edit.window.seconds", default: 15 * 60))
        self.sendRate = RateLimitSetting("send", reader: reader, limit: 10, windowSeconds: 10)
        self.reactionRate = RateLimitSetting("reaction", reader: reader, limit: 20, windowSeconds: 10)
        self.reportRate = RateLimitSetting("report", reader: reader, limit: 10, windowSeconds: 60)
        self.accessCacheSeconds = reader.int(forKey: "access.cache.seconds", default: 60)
        self.userCacheSeconds = reader.int(forKey: "user.cache.seconds", default: 60)
        self.scheduledDeliveryInterval = .milliseconds(max(10, reader.int(forKey: "scheduled.delivery.ms", default: 1000)))
    }
}
