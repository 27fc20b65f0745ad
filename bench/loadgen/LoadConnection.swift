import Foundation
import HummingbirdWSClient
import Logging
import Synchronization

/// One WebSocket of the load: records the load's message deliveries and `notification` frames,
/// and sends `send_message` frames handed to it (for `--mode ws`).
final class LoadConnection: Sendable {
    let deliveries: ConnectionDeliveries
    private let outgoing = AsyncStream<String>.makeStream()
    private let ready = AsyncStream<Void>.makeStream()
    private let errors = Atomic(0)
    /// `notification` frames (`--mode mention`), and when the first arrived (0: none yet).
    let notificationFrames = Atomic(0)
    let firstNotificationMicros = Atomic<Int64>(0)
    /// When any frame last arrived: a connection quiet for a while has nothing in flight.
    let lastFrameMicros = Atomic<Int64>(0)
    /// Set on a Pong player's connection (`--mode pong`): the `pong_state` frames echo its inputs.
    let pongEchoes = Mutex<PongEchoes?>(nil)
    private let closed = Atomic(false)
    private let task = Mutex<Task<Void, Never>?>(nil)

    init(capacity: Int) {
        deliveries = ConnectionDeliveries(capacity: capacity)
    }

    /// Connects and returns once the gateway said `ready` (throws after 30 s).
    func open(url: String) async throws {
        let (outgoing, ready) = (outgoing.stream, ready.continuation)
        let configuration = WebSocketClientConfiguration(maxFrameSize: 1 << 20)
        task.withLock {
            $0 = Task {
                _ = try? await WebSocketClient.connect(url: url, configuration: configuration, logger: Logger(label: "loadgen")) { inbound, outbound, _ in
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask {
                            for try await message in inbound.messages(maxSize: 1 << 20) {
                                guard case .text(let text) = message else { continue }
                                self.lastFrameMicros.store(Marker.nowMicros, ordering: .relaxed)
                                if text.hasPrefix(#"{"type":"notification","#) {
                                    self.notificationFrames.add(1, ordering: .relaxed)
                                    _ = self.firstNotificationMicros.compareExchange(expected: 0, desired: Marker.nowMicros, ordering: .relaxed)
                                } else if text.hasPrefix(#"{"type":"pong_state""#) {
                                    self.pongEchoes.withLock { $0?.frame(text, nowMicros: Marker.nowMicros) }
                                } else if let marker = Marker.parse(text) {
                                    self.deliveries.record(sequence: marker.sequence, sentMicros: marker.sentMicros, nowMicros: Marker.nowMicros)
                                } else if text.hasPrefix(#"{"type":"ready""#) {
                                    ready.finish()
                                } else if text.hasPrefix(#"{"type":"error""#) {
                                    self.errors.add(1, ordering: .relaxed)
                                }
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
                self.closed.store(true, ordering: .relaxed)
                ready.finish()
            }
        }
        let waited = Task {
            for await _ in self.ready.stream {}
        }
        let timeout = Task {
            try await Task.sleep(for: .seconds(30))
            waited.cancel()
        }
        await waited.value
        timeout.cancel()
        guard !closed.load(ordering: .relaxed), !waited.isCancelled else { throw LoadError("a WebSocket did not become ready") }
    }

    func send(_ frame: String) {
        outgoing.continuation.yield(frame)
    }

    var isClosed: Bool { closed.load(ordering: .relaxed) }
    var errorFrames: Int { errors.load(ordering: .relaxed) }

    func close() async {
        outgoing.continuation.finish()
        let running = task.withLock { $0 }
        await running?.value
    }
}
