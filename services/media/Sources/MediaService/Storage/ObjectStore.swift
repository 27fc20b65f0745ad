import NIOCore

/// Where attachment bytes live: an S3-compatible bucket, or a folder on the local disk.
protocol ObjectStore: Sendable {
    /// Stores the file at `path` (`size` bytes, hex SHA-256 `sha256`) under `key`, streaming it.
    func put(_ key: String, file path: String, size: Int, sha256: String, contentType: String) async throws
    /// Stores small bytes (a thumbnail) under `key`.
    func put(_ key: String, bytes: ByteBuffer, contentType: String) async throws
    /// The bytes under `key`, or only `range` of them, ready to stream; throws `notFound` before
    /// any byte is sent when there is no such object.
    func read(_ key: String, range: ClosedRange<Int>?) async throws -> ObjectBytes
    /// Removes `key`; removing a missing key is no error.
    func delete(_ key: String) async throws
}

/// An object's bytes on their way out of the store: `stream` hands them over chunk by chunk.
struct ObjectBytes: Sendable {
    let stream: @Sendable (_ each: (ByteBuffer) async throws -> Void) async throws -> Void

    /// All of it in memory: for thumbnails and tests, never for a whole attachment on a request.
    func collect() async throws -> ByteBuffer {
        var all = ByteBuffer()
        try await stream { chunk in
            var chunk = chunk
            all.writeBuffer(&chunk)
        }
        return all
    }
}

enum ObjectStoreError: Error, CustomStringConvertible {
    case notFound(String)
    case failed(String)

    var description: String {
        switch self {
        case .notFound(let key): "no object \(key)"
        case .failed(let detail): detail
        }
    }
}
