import NIOCore
import NIOWebSocket
import Synchronization

/// Why the server ends a socket: the close code and reason its client gets.
struct SocketClosing: Sendable, Equatable {
    let code: WebSocketErrorCode
    let reason: String

    /// The client did not read its frames fast enough (it can reconnect and resume).
    static let tooSlow = SocketClosing(code: .policyViolation, reason: "too slow")
    /// The client kept sending frames far over its rate limit.
    static let flooding = SocketClosing(code: .policyViolation, reason: "too many frames")
    /// The login session ended (logout, revocation) or its token expired (API.md: 4001).
    static let sessionEnded = SocketClosing(code: .unknown(4001), reason: "session_ended")
}

/// A session's frames on their way to its socket. `send` never waits: it hands the frame to the
/// socket's event loop, where every frame that arrived meanwhile is written with one flush (a
/// room event reaches a thousand sockets as a thousand writes on two loops, not a thousand tasks
/// woken). At most `capacity` frames may be queued or unacknowledged by the socket: one more ends
/// the queue (`tooSlow`). A client that cannot keep up is let go (it can resume) rather than
/// queued for without limit, and the rest of the room never waits for it. Once ended, for
/// whatever reason, the queue takes nothing more, drops what it still holds and `ended` returns;
/// the socket is then closed as `closing` says.
///
/// Frames sent before `open` wait: the first frame a client gets is the one `open` leads with.
final class OutboundQueue: Sendable {
    private struct State {
        var waiting: [ByteBuffer] = []
        /// Written to the socket, not yet acknowledged as sent by it.
        var unacknowledged = 0
        var opened = false
        /// A drain is on its way to the event loop.
        var drainScheduled = false
        var closing: SocketClosing?
        var finished = false
    }

    let capacity: Int
    private let sink: any FrameSink
    private let state = Mutex(State())
    private let ending: AsyncStream<Never>.Continuation
    private let endings: AsyncStream<Never>

    init(capacity: Int, sink: any FrameSink) {
        self.capacity = capacity
        self.sink = sink
        (endings, ending) = AsyncStream.makeStream(of: Never.self)
    }

    /// Lets frames through, `first` ahead of everything sent so far.
    func open(leadingWith first: String) {
        let drain = state.withLock { state -> Bool in
            guard !state.opened, !state.finished else { return false }
            state.opened = true
            state.waiting.insert(ByteBuffer(string: first), at: 0)
            return scheduleDrain(&state)
        }
        if drain { sink.onEventLoop { self.drain() } }
    }

    func send(_ text: String) {
        send(ByteBuffer(string: text))
    }

    /// A frame's UTF-8 text: one buffer can go to every socket of a room (written, never changed).
    func send(_ frame: ByteBuffer) {
        enum Outcome { case queued, drain, overflowed }
        let outcome = state.withLock { state -> Outcome in
            guard !state.finished else { return .queued }
            guard state.waiting.count + state.unacknowledged < capacity else { return .overflowed }
            state.waiting.append(frame)
            return scheduleDrain(&state) ? .drain : .queued
        }
        switch outcome {
        case .queued: break
        case .drain: sink.onEventLoop { self.drain() }
        case .overflowed: end(.tooSlow)
        }
    }

    /// Ends the queue and has the socket closed with `reason` (the first reason given wins).
    func end(_ reason: SocketClosing) {
        state.withLock { state in
            if state.closing == nil && !state.finished { state.closing = reason }
        }
        finish()
    }

    /// Ends the queue without closing the socket (its client left).
    func finish() {
        state.withLock { state in
            state.finished = true
            state.waiting = []
        }
        ending.finish()
    }

    /// Returns once the queue has ended.
    func ended() async {
        for await _ in endings {}
    }

    /// Why the socket is to be closed; nil while it is open.
    var closing: SocketClosing? { state.withLock { $0.closing } }

    private func scheduleDrain(_ state: inout State) -> Bool {
        guard state.opened, !state.drainScheduled else { return false }
        state.drainScheduled = true
        return true
    }

    /// On the socket's event loop: writes what is waiting, with one flush.
    private func drain() {
        let frames = state.withLock { state -> [ByteBuffer] in
            state.drainScheduled = false
            guard !state.finished else { return [] }
            defer { state.waiting = [] }
            state.unacknowledged += state.waiting.count
            return state.waiting
        }
        guard !frames.isEmpty else { return }
        sink.write(frames) { self.state.withLock { $0.unacknowledged -= frames.count } }
    }
}

/// Where a session's frames are written: its socket's channel (`ChannelFrameSink`), or in tests a
/// recorder.
protocol FrameSink: Sendable {
    /// Runs `body` on the socket's event loop.
    func onEventLoop(_ body: @escaping @Sendable () -> Void)
    /// On the event loop: writes `frames` as text frames and flushes; `sent` runs once the socket
    /// took them all (or failed).
    func write(_ frames: [ByteBuffer], sent: @escaping @Sendable () -> Void)
}

/// Frames written straight to the upgraded channel, below Hummingbird's async writer: its
/// pipeline's WebSocket encoder takes `WebSocketFrame`s from anywhere above it.
struct ChannelFrameSink: FrameSink {
    let channel: any Channel

    func onEventLoop(_ body: @escaping @Sendable () -> Void) {
        channel.eventLoop.execute(body)
    }

    func write(_ frames: [ByteBuffer], sent: @escaping @Sendable () -> Void) {
        let promise = channel.eventLoop.makePromise(of: Void.self)
        promise.futureResult.whenComplete { _ in sent() }
        for (index, bytes) in frames.enumerated() {
            let frame = WebSocketFrame(fin: true, opcode: .text, data: bytes)
            // Writes complete in order: the last one's promise stands for them all.
            channel.write(frame, promise: index == frames.count - 1 ? promise : nil)
        }
        channel.flush()
    }
}
