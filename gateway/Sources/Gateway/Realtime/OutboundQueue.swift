import Synchronization

/// A session's bounded queue of frames to send. `send` never waits: a frame that does not fit
/// marks the queue overflowed and ends it, and the session's writer stops at once, dropping what
/// is still queued. A client that cannot keep up is let go (it can resume) rather than queued
/// for without limit, and the rest of the room never waits for it.
final class OutboundQueue: Sendable {
    let frames: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    private let overflowed = Atomic(false)

    init(capacity: Int) {
        (frames, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    func send(_ text: String) {
        if case .dropped = continuation.yield(text) {
            overflowed.store(true, ordering: .relaxed)
            continuation.finish()
        }
    }

    func finish() { continuation.finish() }

    var hasOverflowed: Bool { overflowed.load(ordering: .relaxed) }
}
