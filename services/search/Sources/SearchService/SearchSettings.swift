import Configuration
import Foundation
import ServiceKit

/// Search's configuration: the common settings plus its own (each an environment variable, see README).
public struct SearchSettings: Sendable {
    public var service: ServiceConfig
    /// Rooms' base URL: the rooms each caller is in.
    public var roomsURL: String
    /// Messages' base URL: its export, for `search reindex`.
    public var messagesURL: String
    /// How long a caller's room list is cached (rooms' access epochs retire it sooner).
    public var scopeCacheSeconds: Int

    public init(reader: ConfigReader) {
        self.service = ServiceConfig(serviceName: "search", defaultPort: 8085, reader: reader)
        self.roomsURL = reader.string(forKey: "rooms.url", default: "http://127.0.0.1:8082")
        self.messagesURL = reader.string(forKey: "messages.url", default: "http://127.0.0.1:8083")
        self.scopeCacheSeconds = reader.int(forKey: "scope.cache.seconds", default: 60)
    }
}
