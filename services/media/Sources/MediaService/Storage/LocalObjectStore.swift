import Foundation
import NIOCore
import _NIOFileSystem

/// Objects as files under a folder (the local stack's default: `.data/media`). A file is written
/// under a temporary name and renamed into place, so a reader never sees half of one.
struct LocalObjectStore: ObjectStore {
    let root: String
    private let fileSystem = FileSystem.shared
    private static let chunkLength = 128 * 1024

    init(root: String) throws {
        self.root = root
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
    }

    func put(_ key: String, file path: String, size: Int, sha256: String, contentType: String) async throws {
        try await place(key) { destination in
            try await fileSystem.copyItem(at: FilePath(path), to: FilePath(destination))
        }
    }

    func put(_ key: String, bytes: ByteBuffer, contentType: String) async throws {
        try await place(key) { destination in
            try await fileSystem.withFileHandle(forWritingAt: FilePath(destination), options: .newFile(replaceExisting: true)) { handle in
                _ = try await handle.write(contentsOf: bytes, toAbsoluteOffset: 0)
            }
        }
    }

    func read(_ key: String, range: ClosedRange<Int>?) async throws -> ObjectBytes {
        let path = try self.path(of: key)
        guard let info = try await fileSystem.info(forFileAt: FilePath(path)) else { throw ObjectStoreError.notFound(key) }
        let whole = 0...max(0, Int(info.size) - 1)
        let wanted = range?.clamped(to: whole) ?? whole
        let isEmpty = info.size == 0
        return ObjectBytes { each in
            guard !isEmpty else { return }
            try await fileSystem.withFileHandle(forReadingAt: FilePath(path)) { handle in
                let chunks = handle.readChunks(in: Int64(wanted.lowerBound)...Int64(wanted.upperBound), chunkLength: .bytes(Int64(Self.chunkLength)))
                for try await chunk in chunks { try await each(chunk) }
            }
        }
    }

    func delete(_ key: String) async throws {
        let path = try self.path(of: key)
        _ = try await fileSystem.removeItem(at: FilePath(path), recursively: false)
    }

    /// Writes through `write` to a temporary file beside the object, then renames it into place.
    private func place(_ key: String, _ write: (String) async throws -> Void) async throws {
        let destination = try path(of: key)
        try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = destination + ".partial-" + UUID().uuidString
        do {
            try await write(temporary)
            try await fileSystem.moveItem(at: FilePath(temporary), to: FilePath(destination))
        } catch {
            _ = try? await fileSystem.removeItem(at: FilePath(temporary), recursively: false)
            throw error
        }
    }

    /// Keys are made by this service (`attachments/<uuid>/...`); anything climbing out of the
    /// folder is refused all the same.
    private func path(of key: String) throws -> String {
        let parts = key.split(separator: "/")
        guard !parts.isEmpty, parts.allSatisfy({ $0 != ".." && $0 != "." }) else { throw ObjectStoreError.failed("bad object key \(key)") }
        return root + "/" + key
    }
}
