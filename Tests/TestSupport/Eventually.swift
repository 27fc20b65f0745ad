import Foundation

/// Polls `condition` every 20 ms until it holds; fails with `message` after `seconds`. For effects
/// another task commits a moment after the one a test observed (an acknowledgement, a cleanup).
public func eventually(
    seconds: Double = 10, _ message: @autoclosure () -> String = "condition never held", _ condition: () async throws -> Bool
) async throws {
    let deadline = Date().addingTimeInterval(seconds)
    while try await !condition() {
        guard Date() < deadline else { throw TestFailure(message()) }
        try await Task.sleep(for: .milliseconds(20))
    }
}
