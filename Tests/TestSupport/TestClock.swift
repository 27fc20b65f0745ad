import Foundation
import NIOConcurrencyHelpers
import ServiceKit

/// A clock tests move by hand (token expiry, TOTP steps, key rotation) instead of sleeping.
public final class TestClock: Sendable {
    private let current: NIOLockedValueBox<Date>

    public init(_ start: Date = Date()) {
        self.current = NIOLockedValueBox(start)
    }

    public var now: Date { current.withLockedValue { $0 } }

    /// Sets the clock to `date`: to now when a stack it drives has started (after waiting its
    /// turn, which under load takes longer than a token may be dated ahead).
    public func set(to date: Date = Date()) {
        current.withLockedValue { $0 = date }
    }

    public func advance(by seconds: TimeInterval) {
        current.withLockedValue { $0 = $0.addingTimeInterval(seconds) }
    }

    public var wallClock: WallClock {
        WallClock { [current] in current.withLockedValue { $0 } }
    }
}

/// The public test vectors in `../shared/vectors` beside the repository.
public enum SharedVectors {
    public static func load(_ relativePath: String) throws -> [String: Any] {
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let url = root.deletingLastPathComponent().appendingPathComponent("shared/vectors/\(relativePath)")
        guard let object = try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any] else {
            throw TestFailure("\(relativePath) is not a JSON object")
        }
        return object
    }
}
