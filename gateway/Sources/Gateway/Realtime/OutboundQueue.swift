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

/// A session's bounded queue of frames to send. `send` never waits: a frame that does not fit
/// ends the queue (`tooSlow`). A client that cannot keep up is let go (it can resume) rather than
/// queued for without limit, and the rest of the room never waits for it. Once ended, for
/// whatever reason, the queue takes nothing more and its writer stops at once, dropping what is
/// still queued, and closes the socket as `closing` says.
final class OutboundQueue: Sendable {
    let frames: AsyncStream<String>
    private let continuation: AsyncStream<String>.Continuation
    private let ending = Mutex<SocketClosing?>(nil)

    init(capacity: Int) {
        (frames, continuation) = AsyncStream.makeStream(of: String.self, bufferingPolicy: .bufferingOldest(capacity))
    }

    func send(_ text: String) {
        if case .dropped = continuation.yield(text) { end(.tooSlow) }
    }

    /// Ends the queue and has the socket closed with `reason` (the first reason given wins).
    func end(_ reason: SocketClosing) {
        ending.withLock { if $0 == nil { $0 = reason } }
        continuation.finish()
    }

    /// Ends the queue without closing the socket (its client left).
    func finish() { continuation.finish() }

    /// Why the socket is to be closed; nil while it is open.
    var closing: SocketClosing? { ending.withLock { $0 } }
}
