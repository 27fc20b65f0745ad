/// Lets at most `limit` callers in at once; the others wait their turn, first come first served.
///
/// Swift Testing starts every test at once. On this 2-core machine dozens of live service stacks
/// at once (each with its pools, relays and caches) thrash until requests time out, so the
/// harnesses that start services take turns through `ConcurrencyGate.services`.
public actor ConcurrencyGate {
    public static let services = ConcurrencyGate(limit: 6)

    private let limit: Int
    private var running = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []

    public init(limit: Int) {
        self.limit = limit
    }

    func acquire() async {
        guard running >= limit else {
            running += 1
            return
        }
        // `release` hands its place over: `running` stays as it is.
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty {
            running -= 1
        } else {
            waiting.removeFirst().resume()
        }
    }
}

/// Runs `body` once `ConcurrencyGate.services` lets it in.
public func withServicesGate<T: Sendable>(_ body: () async throws -> T) async throws -> T {
    await ConcurrencyGate.services.acquire()
    do {
        let value = try await body()
        await ConcurrencyGate.services.release()
        return value
    } catch {
        await ConcurrencyGate.services.release()
        throw error
    }
}
