import Foundation

/// RFC 3339 in UTC with milliseconds, the one timestamp format of the API.
public enum Timestamp {
    public static func format(_ date: Date) -> String {
        date.formatted(formatStyle)
    }

    public static func parse(_ text: String) -> Date? {
        try? Date(text, strategy: formatStyle)
    }

    private static let formatStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
}
