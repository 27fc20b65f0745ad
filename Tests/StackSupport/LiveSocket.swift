import Foundation
import HummingbirdWSClient
import Logging
import NIOConcurrencyHelpers
import TestSupport

/// A WebSocket held open in the background, collecting every frame the server sends, so a test
/// can act elsewhere and then look at what arrived.
public final class LiveSocket: Sendable {
    /// Raw JSON texts: parsed when read, since parsed JSON is not Sendable.
    private let frames = NIOLockedValueBox<[String]>([])
    private let closeRequested = AsyncStream<Void>.makeStream()
    private let task: Task<Void, any Error>

    public init(port: Int, token: String) async throws {
        let frames = self.frames
        let closeSignal = closeRequested.stream
        let ready = AsyncStream<Void>.makeStream()
        task = Task {
            try await WebSocketClient.connect(url: "ws://127.0.0.1:\(port)/ws?token=\(token)", logger: Logger(label: "live-socket")) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for try await message in inbound.messages(maxSize: 1 << 20) {
                            guard case .text(let text) = message else { continue }
                            frames.withLockedValue { $0.append(text) }
                            if text.contains(#""type":"ready""#) { ready.continuation.finish() }
                        }
                    }
                    group.addTask {
                        for await _ in closeSignal { break }
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                    try await group.next()
                    group.cancelAll()
                }
            }
        }
        try await withTimeout(seconds: 10) { for await _ in ready.stream {} }
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

    public func close() async {
        closeRequested.continuation.yield()
        closeRequested.continuation.finish()
        _ = try? await task.value
    }
}
