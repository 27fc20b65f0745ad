import Foundation

/// A service that receives this service's events at `<url>/internal/events`.
public struct EventSubscriber: Sendable, Equatable {
    public let name: String
    public let url: String

    public init(name: String, url: String) {
        self.name = name
        self.url = url
    }

    /// Parses `EVENT_SUBSCRIBERS`: `gateway=http://127.0.0.1:8080,search=http://127.0.0.1:8085`.
    /// A malformed or repeated entry stops the service at startup rather than dropping events.
    public static func parse(_ entries: [String]) throws -> [EventSubscriber] {
        var subscribers: [EventSubscriber] = []
        for entry in entries where !entry.trimmingCharacters(in: .whitespaces).isEmpty {
            let parts = entry.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
            guard parts.count == 2, !parts[0].isEmpty, let url = URL(string: parts[1]), url.scheme?.hasPrefix("http") == true else {
                throw AppError.internal("EVENT_SUBSCRIBERS entry \"\(entry)\" is not name=http://host:port")
            }
            guard !subscribers.contains(where: { $0.name == parts[0] }) else {
                throw AppError.internal("EVENT_SUBSCRIBERS names \(parts[0]) twice")
            }
            subscribers.append(EventSubscriber(name: parts[0], url: parts[1]))
        }
        return subscribers
    }
}
