import FuzzSupport
import NIOCore
import NIOEmbedded
import NIOWebSocket

// The WebSocket frame decoder the gateway reads clients with (NIO's, limited to the gateway's
// 64 KiB frames): any bytes become frames or a protocol error, never a trap or an oversized buffer.
fuzz { bytes in
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(WebSocketFrameDecoder(maxFrameSize: 64 * 1024)))
    defer { _ = try? channel.finish() }
    guard (try? channel.writeInbound(ByteBuffer(bytes: bytes))) != nil else { return }
    while let frame = try? channel.readInbound(as: WebSocketFrame.self) {
        precondition(frame.length <= 64 * 1024, "a frame over the limit got through: \(frame.length) bytes")
        if frame.opcode == .text, frame.fin {
            _ = String(validating: frame.unmaskedData.readableBytesView, as: UTF8.self)
        }
    }
}
