import TestSupport

extension Stack {
    /// The files the stack's media has stored (originals and thumbnails).
    public func storedObjects() -> [String] {
        mediaFolder.map { MediaFolder(path: $0).storedObjects() } ?? []
    }

    /// Uploads being received by the stack's media (none should stay behind).
    public func spooledFiles() -> [String] {
        mediaFolder.map { MediaFolder(path: $0).spooledFiles() } ?? []
    }
}
