import Configuration
import Foundation
import ServiceKit

/// Notify's configuration: the common settings plus its own (each an environment variable, see README).
public struct NotifySettings: Sendable {
    public var service: ServiceConfig
    /// Rooms' base URL: members, their notification levels, and blocks.
    public var roomsURL: String
    /// How long a notification lives.
    public var lifetime: TimeInterval
    /// How often the expiry job looks for expired notifications, and how many it deletes per statement.
    public var expirySweepInterval: Duration
    public var expiryBatchSize: Int

    public init(reader: ConfigReader) {
        self.service = ServiceConfig(serviceName: "notify", defaultPort: 8086, reader: reader)
        self.roomsURL = reader.string(forKey: "rooms.url", default: "http://127.0.0.1:8082")
        self.lifetime = TimeInterval(reader.int(forKey: "notification.lifetime.days", default: 30) * 86400)
        self.expirySweepInterval = .milliseconds(reader.int(forKey: "expiry.sweep.interval.ms", default: 300_000))
        self.expiryBatchSize = reader.int(forKey: "expiry.batch.size", default: 500)
    }
}
