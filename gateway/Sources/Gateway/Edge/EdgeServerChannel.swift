import Foundation
import HummingbirdCore
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import ServiceKit
import Synchronization

/// The gateway's HTTP/1 connections with the WebSocket upgrade (Hummingbird's), plus an answer
/// to a first request the HTTP parser refuses: a NUL, CR or LF in a header, a header too large,
/// a malformed request line. Such a request gets 400 `bad_request` at once and the connection
/// closes; it is never forwarded.
///
/// Why this is needed: while the upgrade handler is still deciding on a connection's first
/// request, Hummingbird has no handler of its own in the pipeline yet, so the parser's error
/// reached its end unanswered and the connection hung. Once the first request is negotiated as
/// plain HTTP, Hummingbird answers parser errors itself (400, without a body), so the answer here
/// is removed then; after an upgrade the parser is gone.
struct EdgeServerChannel: ServerChildChannel {
    let base: HTTP1WebSocketUpgradeChannel

    struct Value: ServerChildChannelValue {
        let base: HTTP1WebSocketUpgradeChannel.Value
        /// The first request's negotiation (plain HTTP or WebSocket); it fails when the
        /// connection closes before that, as after a malformed request.
        let negotiation: EventLoopFuture<HTTP1WebSocketUpgradeChannel.UpgradeResult>
        let answer: MalformedRequestAnswer
        var channel: any Channel { base.channel }
    }

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        base.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let answer = MalformedRequestAnswer()
            try operations.addHandler(answer)
            let negotiation = try operations.handler(type: NIOTypedHTTPServerUpgradeHandler<HTTP1WebSocketUpgradeChannel.UpgradeResult>.self)
                .upgradeResultFuture
            negotiation.whenComplete { _ in channel.pipeline.removeHandler(answer, promise: nil) }
            return Value(base: value, negotiation: negotiation, answer: answer)
        }
    }

    func handle(value: Value, logger: Logger) async {
        // A connection refused here has nothing more to handle (Hummingbird would log the failed
        // negotiation as an error, once per malformed request).
        if (try? await value.negotiation.get()) == nil, value.answer.hasAnswered { return }
        await base.handle(value: value.base, logger: logger)
    }
}

/// Answers the parser's error on a connection's first request with 400 `bad_request` in the
/// API.md shape. The connection then closes its sending side only, so that a client still
/// sending the rest of a refused request reads the answer (closing outright would reset the
/// connection, and lose the answer with it); it is dropped altogether after `linger`.
final class MalformedRequestAnswer: ChannelInboundHandler, RemovableChannelHandler, Sendable {
    typealias InboundIn = Never
    typealias OutboundOut = HTTPServerResponsePart

    static let linger = TimeAmount.seconds(2)
    private let answered = Atomic(false)

    var hasAnswered: Bool { answered.load(ordering: .acquiring) }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        guard error is HTTPParserError else {
            context.fireErrorCaught(error)
            return
        }
        // One answer per connection; the parser's later errors have nobody to go to.
        guard !answered.exchange(true, ordering: .acquiringAndReleasing) else { return }
        let parts = RawErrorResponse.parts(for: .badRequest("malformed request"))
        for part in parts.dropLast() { context.write(wrapOutboundOut(part), promise: nil) }
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(parts[parts.count - 1])).whenComplete { _ in
            channel.close(mode: .output, promise: nil)
            channel.eventLoop.scheduleTask(in: Self.linger) { channel.close(promise: nil) }
        }
    }
}

/// An API.md error written straight onto a connection, for the answers given before (or
/// instead of) the router: a refused WebSocket upgrade, a request the parser refused. The
/// connection closes after it.
enum RawErrorResponse {
    static func parts(for error: AppError) -> [HTTPServerResponsePart] {
        let body = (try? JSONEncoder().encode(error.body)) ?? Data()
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: "close")
        for field in error.headers { headers.add(name: field.name.rawName, value: field.value) }
        let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: error.status.code), headers: headers)
        return [.head(head), .body(.byteBuffer(ByteBuffer(data: body))), .end(nil)]
    }
}
