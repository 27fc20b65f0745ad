import FuzzSupport
import NIOCore
import RedisWire

// The Redis reply parser: any bytes from the socket parse, wait for more, or throw; never trap.
fuzz { bytes in
    var buffer = ByteBuffer(bytes: bytes)
    while let _ = try? RESPCodec.parse(&buffer) {}
}
