import CVipsShim
import NIOCore
import NIOPosix

/// Image sizes and thumbnails through libvips (by way of the C shim), on a thread pool of its own:
/// never on an event loop, and never more images at once than the pool has threads.
struct Thumbnailer: Sendable {
    /// Its thread count bounds how many images are decoded at once.
    let pool: NIOThreadPool
    /// Larger images are refused before decoding (decompression bombs).
    let maxPixels: Int
    /// The thumbnail's longest side.
    let size: Int
    let quality: Int = 80

    struct Thumbnail: Sendable {
        let webp: ByteBuffer
        let width: Int
        let height: Int
    }

    /// libvips starts once per process, on first use.
    private static let started: Bool = parley_vips_start("parley-media") == 0

    /// The image's displayed width and height, from its header only.
    func dimensions(of path: String) async throws -> (width: Int, height: Int) {
        try await pool.runIfActive {
            guard Self.started else { throw ImageError.unavailable }
            var width: Int32 = 0
            var height: Int32 = 0
            var error = [CChar](repeating: 0, count: 512)
            guard parley_vips_probe(path, &width, &height, &error, error.count) == 0 else {
                throw ImageError.undecodable(String(cString: error))
            }
            return (Int(width), Int(height))
        }
    }

    /// The image's dimensions and its thumbnail; refuses an image over `maxPixels` before decoding it.
    func thumbnail(of path: String) async throws -> (width: Int, height: Int, thumbnail: Thumbnail) {
        let (width, height) = try await dimensions(of: path)
        guard width > 0, height > 0 else { throw ImageError.undecodable("no pixels") }
        guard width * height <= maxPixels else { throw ImageError.tooManyPixels(width * height) }
        let thumbnail = try await pool.runIfActive { [size, quality] in
            var buffer: UnsafeMutableRawPointer?
            var length = 0
            var thumbWidth: Int32 = 0
            var thumbHeight: Int32 = 0
            var error = [CChar](repeating: 0, count: 512)
            guard parley_vips_thumbnail(path, Int32(size), Int32(quality), &buffer, &length, &thumbWidth, &thumbHeight, &error, error.count) == 0,
                let buffer
            else { throw ImageError.undecodable(String(cString: error)) }
            defer { parley_vips_free(buffer) }
            return Thumbnail(
                webp: ByteBuffer(bytes: UnsafeRawBufferPointer(start: buffer, count: length)), width: Int(thumbWidth), height: Int(thumbHeight))
        }
        return (width, height, thumbnail)
    }
}

enum ImageError: Error, CustomStringConvertible {
    case unavailable
    case undecodable(String)
    case tooManyPixels(Int)

    var description: String {
        switch self {
        case .unavailable: "libvips did not start"
        case .undecodable(let detail): "the image cannot be decoded: \(detail)"
        case .tooManyPixels(let pixels): "the image has \(pixels) pixels"
        }
    }
}
