import NIOCore
import NIOPosix

/// One TCP connection to Redis. Commands are pipelined: each is written at once and its reply
/// completes the oldest waiting promise, since Redis answers in order.
final class RedisConnection: Sendable {
    let channel: any Channel

    private init(channel: any Channel) {
        self.channel = channel
    }

    static func connect(settings: RedisSettings, pushes: AsyncStream<RESPValue>.Continuation? = nil) async throws -> RedisConnection {
        do {
            return try await open(settings: settings, pushes: pushes)
        } catch let error as RedisError {
            throw error
        } catch {
            throw RedisError(message: "cannot connect: \(error)", isConnectionFailure: true)
        }
    }

    private static func open(settings: RedisSettings, pushes: AsyncStream<RESPValue>.Continuation?) async throws -> RedisConnection {
        let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .connectTimeout(.seconds(5))
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandlers([
                        ByteToMessageHandler(RESPDecoder()),
                        RedisCommandHandler(pushes: pushes),
                    ])
                }
            }
            .connect(host: settings.host, port: settings.port)
            .get()
        let connection = RedisConnection(channel: channel)
        if let password = settings.password {
            _ = try await connection.send(["AUTH", password])
        }
        return connection
    }

    var isActive: Bool { channel.isActive }

    /// Sends the commands in one write and returns their replies in order. A Redis error reply is
    /// returned as `.error`, not thrown, so one failing command does not hide the others.
    func send(batch commands: [[String]]) async throws -> [RESPValue] {
        let promises = commands.map { _ in channel.eventLoop.makePromise(of: RESPValue.self) }
        for (command, promise) in zip(commands, promises) {
            // A write that fails (the connection is gone) never reaches the handler's queue, so
            // its reply would never come: fail it here.
            let written = channel.eventLoop.makePromise(of: Void.self)
            written.futureResult.whenFailure { promise.fail(RedisError(message: "write failed: \($0)", isConnectionFailure: true)) }
            channel.write(RedisCommandHandler.Outbound(command: command, promise: promise), promise: written)
        }
        channel.flush()
        var replies: [RESPValue] = []
        replies.reserveCapacity(commands.count)
        for promise in promises {
            replies.append(try await promise.futureResult.get())
        }
        return replies
    }

    func send(_ command: [String]) async throws -> RESPValue {
        let reply = try await send(batch: [command])[0]
        if case .error(let message) = reply { throw RedisError(message: message) }
        return reply
    }

    func close() async {
        try? await channel.close()
    }
}

struct RESPDecoder: ByteToMessageDecoder {
    typealias InboundOut = RESPValue

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let value = try RESPCodec.parse(&buffer) else { return .needMoreData }
        context.fireChannelRead(wrapInboundOut(value))
        return .continue
    }
}

/// Matches replies to waiting commands; on a subscribed connection, `message` pushes go to `pushes`.
final class RedisCommandHandler: ChannelDuplexHandler {
    typealias InboundIn = RESPValue
    typealias OutboundIn = Outbound
    typealias OutboundOut = ByteBuffer

    struct Outbound {
        let command: [String]
        let promise: EventLoopPromise<RESPValue>
    }

    private var waiting: CircularBuffer<EventLoopPromise<RESPValue>> = []
    private let pushes: AsyncStream<RESPValue>.Continuation?

    init(pushes: AsyncStream<RESPValue>.Continuation?) {
        self.pushes = pushes
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let outbound = unwrapOutboundIn(data)
        var buffer = context.channel.allocator.buffer(capacity: 64)
        RESPCodec.encode(command: outbound.command, into: &buffer)
        waiting.append(outbound.promise)
        context.write(wrapOutboundOut(buffer), promise: promise)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let value = unwrapInboundIn(data)
        if let pushes, let kind = value.array?.first?.string, kind == "message" || kind == "pmessage" {
            pushes.yield(value)
            return
        }
        guard let promise = waiting.popFirst() else {
            pushes?.yield(value)
            return
        }
        promise.succeed(value)
    }

    func channelInactive(context: ChannelHandlerContext) {
        failAll(RedisError(message: "connection closed", isConnectionFailure: true))
        pushes?.finish()
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failAll(error)
        context.close(promise: nil)
    }

    private func failAll(_ error: any Error) {
        while let promise = waiting.popFirst() {
            promise.fail(error)
        }
    }
}
