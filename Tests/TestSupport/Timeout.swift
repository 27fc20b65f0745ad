/// Runs `body`, failing if it takes longer than `seconds`: a test waiting for a message that
/// never comes fails instead of hanging the run. `body` is cancelled then, and waited for: it must
/// end when cancelled (awaiting an unstructured task's value does not; pass the cancellation on).
@discardableResult
public func withTimeout<T: Sendable>(seconds: Double, _ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask { try await body() }
        group.addTask {
            try await Task.sleep(for: .seconds(seconds))
            throw TestFailure("timed out after \(seconds) s")
        }
        let result = try await group.next()!
        group.cancelAll()
        return result
    }
}
