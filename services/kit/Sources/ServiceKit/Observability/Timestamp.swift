import Foundation

/// RFC 3339 in UTC with milliseconds, the one timestamp format of the API.
public enum Timestamp {
    /// Rounded to the nearest millisecond, not truncated as the format style would: a time that
    /// went through Postgres (stored in whole microseconds, truncated) is a hair early, and half
    /// of them would otherwise come back a millisecond before they were written.
    public static func format(_ date: Date) -> String {
        let milliseconds = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = milliseconds >= 0 ? milliseconds / 1000 : (milliseconds - 999) / 1000
        let fraction = String(milliseconds - seconds * 1000)
        // "2026-12-06T19:32:11Z": whole seconds are exact, so this part is never off.
        let wholeSeconds = Date(timeIntervalSince1970: Double(seconds)).formatted(wholeSecondsStyle)
        return wholeSeconds.dropLast() + "." + String(repeating: "0", count: 3 - fraction.count) + fraction + "Z"
    }

    public static func parse(_ text: String) -> Date? {
        try? Date(text, strategy: parseStyle)
    }

    private static let parseStyle = Date.ISO8601FormatStyle(includingFractionalSeconds: true, timeZone: .gmt)
    private static let wholeSecondsStyle = Date.ISO8601FormatStyle(timeZone: .gmt)
}
