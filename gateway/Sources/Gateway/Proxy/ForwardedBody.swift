import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import ServiceKit

/// The client's request body as the upstream request reads it: counted against the route's limit
/// (413 once past it), and stoppable. An upstream may answer before it read the whole body (a
/// refused upload); the gateway then must not hand the connection back while the upstream
/// request is still waiting for body bytes, or the server's own draining of the rest would read
/// the connection at the same time, which NIO forbids (a trap). `stop()` ends the reading first.
final class ForwardedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    private let source: Source
    private let limit: Int
    private let state = NIOLockedValueBox(State())

    private struct State {
        var stopped = false
        var seen = 0
        /// The read under way, run as a task of its own so that `stop` can cancel it.
        var read: Task<ByteBuffer?, any Error>?
    }

    init(_ body: RequestBody, limit: Int) {
        self.source = Source(iterator: body.makeAsyncIterator())
        self.limit = limit
    }

    /// Ends the reading, cancelling a read under way and waiting for it: once this returns,
    /// nothing reads the client's body any more.
    func stop() async {
        let read = state.withLockedValue { state in
            state.stopped = true
            return state.read
        }
        read?.cancel()
        _ = try? await read?.value
    }

    private func next() async throws -> ByteBuffer? {
        let read: Task<ByteBuffer?, any Error>? = state.withLockedValue { state in
            guard !state.stopped else { return nil }
            let read = Task { [source] in try await source.next() }
            state.read = read
            return read
        }
        guard let read else { return nil }
        let chunk = try await read.value
        return try state.withLockedValue { state in
            state.read = nil
            guard let chunk else { return nil }
            state.seen += chunk.readableBytes
            if state.seen > limit { throw AppError.payloadTooLarge(limit: limit) }
            return chunk
        }
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        let body: ForwardedBody

        func next() async throws -> ByteBuffer? {
            try await body.next()
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(body: self)
    }

    /// The request body's iterator; only one read runs at a time (`ForwardedBody.next` waits for
    /// each before the next starts), which is what makes the unchecked sendability sound.
    private final class Source: @unchecked Sendable {
        var iterator: RequestBody.AsyncIterator

        init(iterator: RequestBody.AsyncIterator) {
            self.iterator = iterator
        }

        func next() async throws -> ByteBuffer? {
            try await iterator.next()
        }
    }
}
