import FuzzSupport
import Multipart
import NIOCore

// Media's multipart reader: any body, cut into chunks of any size, gives events or an error,
// never a trap, a hang or unbounded memory; and the same answer however it is cut. The first
// byte chooses the chunk size, the rest is the body (boundary `b0und`).
fuzz { bytes in
    guard let first = bytes.first else { return }
    let body = Array(bytes.dropFirst())
    let whole = read(body, chunkSize: max(1, body.count))
    let chunked = read(body, chunkSize: Int(first % 64) + 1)
    precondition(whole == chunked, "the same body read differently in chunks of \(Int(first % 64) + 1): \(whole) vs \(chunked)")
}

enum Outcome: Equatable {
    case parts([[MultipartHeader]], bodyBytes: Int)
    case failed(MultipartError)
}

func read(_ body: [UInt8], chunkSize: Int) -> Outcome {
    var reader = MultipartReader(boundary: "b0und", limits: .init(maxParts: 16, maxHeadersPerPart: 16, maxHeaderBytesPerPart: 8192))!
    var headers: [[MultipartHeader]] = []
    var bodyBytes = 0
    do {
        var offset = 0
        while offset < body.count {
            let end = min(body.count, offset + chunkSize)
            for event in try reader.read(ByteBuffer(bytes: body[offset..<end])) {
                switch event {
                case .partStarted(let partHeaders): headers.append(partHeaders)
                case .bodyBytes(let buffer): bodyBytes += buffer.readableBytes
                case .partEnded: break
                }
            }
            offset = end
        }
        try reader.finish()
        return .parts(headers, bodyBytes: bodyBytes)
    } catch {
        return .failed(error)
    }
}
