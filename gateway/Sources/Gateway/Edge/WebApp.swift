import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceKit

/// The built web app (`web/dist`, made by `web/build`): `index.html` at `/`, revalidated on every
/// load, and the content-hashed bundles under `/assets/`, cached for a year since a new build
/// has new names. Held in memory (a few hundred KB) and read again when `index.html` changed (a
/// new build while the gateway runs); the build writes a gzip copy of each file, sent to clients
/// that accept gzip. Without a build, `/` is 404 and the API works as ever.
final class WebApp: Sendable {
    struct Build: Sendable {
        let index: File?
        let assets: [String: File]
        let indexModified: Date?
    }

    struct File: Sendable {
        let body: ByteBuffer
        let gzipped: ByteBuffer?
        let contentType: String
    }

    private let root: URL
    private let logger: Logger
    private let current: NIOLockedValueBox<Build>

    static let contentTypes = [
        "js": "text/javascript; charset=utf-8", "css": "text/css; charset=utf-8", "html": "text/html; charset=utf-8",
        "json": "application/json", "svg": "image/svg+xml", "png": "image/png", "ico": "image/x-icon", "woff2": "font/woff2",
    ]

    init(root: String, logger: Logger) {
        self.root = URL(fileURLWithPath: root)
        self.logger = logger
        let build = Self.read(self.root)
        if build.index == nil { logger.warning("no web app build: / is 404 (run web/build)", metadata: ["web_root": "\(root)"]) }
        self.current = NIOLockedValueBox(build)
    }

    /// The build on disk now: the one in memory unless `index.html` changed since.
    private func build() -> Build {
        let modified = Self.modified(root.appendingPathComponent("index.html"))
        return current.withLockedValue { build in
            if modified != build.indexModified {
                build = Self.read(root)
                logger.info("web app reloaded", metadata: ["assets": "\(build.assets.count)"])
            }
            return build
        }
    }

    private static func read(_ root: URL) -> Build {
        let indexURL = root.appendingPathComponent("index.html")
        let assetsURL = root.appendingPathComponent("assets")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: assetsURL.path)) ?? []
        var assets: [String: File] = [:]
        for name in names where !name.hasSuffix(".gz") {
            assets[name] = file(at: assetsURL.appendingPathComponent(name))
        }
        return Build(index: file(at: indexURL), assets: assets, indexModified: modified(indexURL))
    }

    private static func modified(_ url: URL) -> Date? {
        (try? FileManager.default.attributesOfItem(atPath: url.path))?[.modificationDate] as? Date
    }

    private static func file(at url: URL) -> File? {
        guard let data = try? Data(contentsOf: url) else { return nil }
        let gzipped = try? Data(contentsOf: url.appendingPathExtension("gz"))
        return File(
            body: ByteBuffer(data: data), gzipped: gzipped.map { ByteBuffer(data: $0) },
            contentType: contentTypes[url.pathExtension] ?? "application/octet-stream")
    }

    func add(to router: Router<GatewayRequestContext>) {
        for method in [HTTPRequest.Method.get, .head] {
            router.on("/", method: method) { request, _ in
                guard let index = self.build().index else { throw AppError.notFound() }
                return Self.response(index, to: request, cacheControl: "no-cache")
            }
            router.on("/assets/:name", method: method) { request, context in
                guard let file = self.current.withLockedValue({ $0.assets })[try context.parameters.require("name")] else {
                    throw AppError.notFound()
                }
                return Self.response(file, to: request, cacheControl: "public, max-age=31536000, immutable")
            }
        }
    }

    static func response(_ file: File, to request: Request, cacheControl: String) -> Response {
        var headers: HTTPFields = [.contentType: file.contentType, .cacheControl: cacheControl, .vary: "Accept-Encoding"]
        var body = file.body
        let acceptsGzip = request.headers[values: .acceptEncoding].contains { $0.lowercased().contains("gzip") }
        if acceptsGzip, let gzipped = file.gzipped {
            headers[.contentEncoding] = "gzip"
            body = gzipped
        }
        headers[.contentLength] = String(body.readableBytes)
        // HEAD: the same headers, no body.
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: request.method == .head ? ByteBuffer() : body))
    }
}
