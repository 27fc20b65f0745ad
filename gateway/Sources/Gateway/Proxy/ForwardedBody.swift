import Hummingbird
import NIOConcurrencyHelpers
import NIOCore
import ServiceKit

/// The client's request body as the upstream request reads it: counted against the route's limit
/// (413 once past it), and stoppable. An upstream may answer before it read the whole body (a
/// refused upload); the server then drains the rest itself, which must not start while the
/// upstream request is still waiting for body bytes: two reads of one connection at once are a
/// trap in NIO. `stop()`, called once the answer was forwarded, makes sure of that.
final class ForwardedBody: AsyncSequence, Sendable {
    typealias Element = ByteBuffer

    private let source: Source
    private let limit: Int
    private let state = NIOLockedValueBox(State())

    private struct State {
        var stopped = false
        var seen = 0
        /// The read under way, run as a task of its own so that `stop` can wait for it.
        var read: Task<ByteBuffer?, any Error>?
    }

    init(_ body: RequestBody, limit: Int) {
        self.source = Source(iterator: body.makeAsyncIterator())
        self.limit = limit
    }

    /// Ends the reading: no read starts any more, and one under way is waited for (it ends with
    /// the client's next bytes, as the server's draining would). Cancelling it instead would end
    /// the connection's reading for good, and fail an upstream answer still streaming.
    func stop() async {
        let read = state.withLockedValue { state in
            state.stopped = true
            return state.read
        }
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
