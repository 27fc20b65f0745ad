import Foundation
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import NIOWebSocket

/// A WebSocket held open in the background, collecting every frame the server sends, so a test
/// can act elsewhere and then look at what arrived.
public final class LiveSocket: Sendable {
    /// Raw JSON texts: parsed when read, since parsed JSON is not Sendable.
    private let frames = NIOLockedValueBox<[String]>([])
    /// Texts to send; finishing it closes the socket.
    private let outgoing = AsyncStream<String>.makeStream()
    /// Ends with the server's close frame, if it sent one.
    private let task: Task<WebSocketCloseFrame?, any Error>

    public init(port: Int, token: String) async throws {
        let frames = self.frames
        let outgoing = self.outgoing.stream
        let ready = AsyncStream<Void>.makeStream()
        task = Task {
            // A socket refused or closed before `ready` ends the wait below at once.
            defer { ready.continuation.finish() }
            // Large enough for a message frame at its largest (10,000 characters and their HTML).
            let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
            return try await WebSocketClient.connect(
                url: "ws://127.0.0.1:\(port)/ws?token=\(token)", configuration: configuration, logger: Logger(label: "live-socket")
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message else { continue }
                            frames.withLockedValue { $0.append(text) }
                            if text.contains(#""type":"ready""#) { ready.continuation.finish() }
                        }
                    }
                    group.addTask {
                        for await text in outgoing { try await outbound.write(.text(text)) }
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
        do {
            try await withTimeout(seconds: 10) { for await _ in ready.stream {} }
        } catch {
            task.cancel()
            throw error
        }
        guard frames.withLockedValue({ $0.contains { $0.contains(#""type":"ready""#) } }) else {
            // `ready` ended without the frame: the socket's task is over.
            let closing = try await task.value
            throw TestFailure("the socket closed before ready: \(closing.map { "\($0.closeCode) \($0.reason ?? "")" } ?? "no close frame")")
        }
    }

    /// Sends a client frame: `{"type", "data", "ref"}`.
    public func send(_ type: String, _ data: [String: Any] = [:], ref: String? = nil) throws {
        var frame: [String: Any] = ["type": type, "data": data]
        if let ref { frame["ref"] = ref }
        outgoing.continuation.yield(String(decoding: try JSONSerialization.data(withJSONObject: frame), as: UTF8.self))
    }

    /// Sends a frame with `ref` and waits for its `ack` or `error`.
    @discardableResult
    public func request(_ type: String, _ data: [String: Any] = [:], seconds: Double = 10) async throws -> [String: Any] {
        try await exchange(type, data, answeredBy: ["ack", "error"], seconds: seconds)
    }

    /// A `ping` answered by its `pong`: every frame the gateway queued for this socket before it
    /// read the ping has arrived. A test that something did not reach the socket checks after this
    /// instead of waiting a while.
    public func ping(seconds: Double = 10) async throws {
        _ = try await exchange("ping", [:], answeredBy: ["pong"], seconds: seconds)
    }

    private func exchange(_ type: String, _ data: [String: Any], answeredBy replies: Set<String>, seconds: Double) async throws -> [String: Any] {
        let ref = UUID().uuidString
        try send(type, data, ref: ref)
        var reply: [String: Any]?
        try await eventually(seconds: seconds, "no reply to \(type)") {
            reply = allFrames().first { $0["ref"] as? String == ref && replies.contains($0["type"] as? String ?? "") }
            return reply != nil
        }
        return reply!
    }

    /// Frames of `type` received so far.
    public func received(_ type: String) -> [[String: Any]] {
        allFrames().filter { $0["type"] as? String == type }
    }

    private func allFrames() -> [[String: Any]] {
        frames.withLockedValue { $0 }.compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }

    /// Waits for a frame of `type` whose `data` satisfies `match`.
    @discardableResult
    public func waitFor(_ type: String, seconds: Double = 10, where match: @escaping @Sendable ([String: Any]) -> Bool = { _ in true }) async throws -> [String: Any] {
        var found: [String: Any]?
        try await eventually(seconds: seconds, "no \(type) frame; got \(allFrames().map { $0["type"] ?? "?" })") {
            found = received(type).first { match(($0["data"] as? [String: Any]) ?? [:]) }
            return found != nil
        }
        return found!
    }

    /// Sends the close frame and waits for the server's answer, for 10 s at most.
    public func close() async {
        outgoing.continuation.finish()
        _ = try? await withTimeout(seconds: 10) { try await self.end() }
    }

    /// Waits until the server closes the socket; its close code and reason.
    public func closedByServer(seconds: Double = 10) async throws -> (code: UInt16, reason: String?) {
        let frame = try await withTimeout(seconds: seconds) { try await self.end() }
        guard let frame else { throw TestFailure("the socket ended without a close frame") }
        return (UInt16(webSocketErrorCode: frame.closeCode), frame.reason)
    }

    /// The end of the socket: the server's close frame, if it sent one. Waiting on the socket's
    /// task does not end when the waiter is cancelled (as `withTimeout` cancels it), so the
    /// cancellation is passed on to the socket, which then ends.
    private func end() async throws -> WebSocketCloseFrame? {
        let task = self.task
        return try await withTaskCancellationHandler { try await task.value } onCancel: { task.cancel() }
    }
}
