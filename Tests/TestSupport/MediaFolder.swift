import Foundation

/// The folder a media service under test keeps its files in: `objects/` (the local object store)
/// and `spool/` (uploads being received).
public struct MediaFolder: Sendable {
    public let path: String

    public init(path: String) {
        self.path = path
    }

    /// The files media has stored (originals and thumbnails).
    public func storedObjects() -> [String] {
        let enumerator = FileManager.default.enumerator(atPath: path + "/objects")
        return (enumerator?.allObjects as? [String] ?? []).filter { $0.hasSuffix("original") || $0.hasSuffix(".webp") }
    }

    /// Uploads being received (none should stay behind).
    public func spooledFiles() -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: path + "/spool")) ?? []
    }

    /// Media's settings for this folder.
    public var settings: [String: String] {
        ["LOCAL_STORE_DIRECTORY": path + "/objects", "SPOOL_DIRECTORY": path + "/spool"]
    }
}
