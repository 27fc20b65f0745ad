import Foundation
import HTTPTypes
import Testing
import TestSupport

/// The gateway serves the built web app (`web/build`'s output) from `WEB_ROOT`.
@Suite struct WebAppTests {
    /// A build as `web/build` lays it out: `index.html` and hashed assets with gzip copies.
    static func build() throws -> String {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("web-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: root.appendingPathComponent("assets"), withIntermediateDirectories: true)
        try Data("<!doctype html><title>Parley</title>".utf8).write(to: root.appendingPathComponent("index.html"))
        try Data("console.log(1)".utf8).write(to: root.appendingPathComponent("assets/main-ABC123.js"))
        try Data("gzipped bytes".utf8).write(to: root.appendingPathComponent("assets/main-ABC123.js.gz"))
        try Data("body{}".utf8).write(to: root.appendingPathComponent("assets/styles-DEF456.css"))
        return root.path
    }

    @Test func theAppIsServedAtTheRootAndRevalidatedOnEveryLoad() async throws {
        let root = try Self.build()
        try await withGateway(settings: ["WEB_ROOT": root]) { stack in
            let index = try await stack.gateway.call(.get, "/")
            #expect(index.status == .ok)
            #expect(String(decoding: index.body, as: UTF8.self).contains("<title>Parley</title>"))
            #expect(index.headers[.contentType] == "text/html; charset=utf-8")
            #expect(index.headers[.cacheControl] == "no-cache")
            #expect(index.headers[.contentSecurityPolicy]?.contains("default-src 'self'") == true, "a strict CSP: no inline script")
            let head = try await stack.gateway.call(.head, "/")
            #expect(head.status == .ok && head.body.isEmpty)
            #expect(head.headers[.contentLength] == String(index.body.count))
        }
    }

    @Test func hashedAssetsAreCachedForAYearAndGzippedForClientsThatAcceptIt() async throws {
        let root = try Self.build()
        try await withGateway(settings: ["WEB_ROOT": root]) { stack in
            let plain = try await stack.gateway.call(.get, "/assets/main-ABC123.js")
            #expect(plain.status == .ok)
            #expect(String(decoding: plain.body, as: UTF8.self) == "console.log(1)")
            #expect(plain.headers[.contentType] == "text/javascript; charset=utf-8")
            #expect(plain.headers[.cacheControl] == "public, max-age=31536000, immutable")
            #expect(plain.headers[.contentEncoding] == nil)

            let gzipped = try await stack.gateway.call(.get, "/assets/main-ABC123.js", headers: [.acceptEncoding: "gzip, deflate, br"])
            #expect(gzipped.headers[.contentEncoding] == "gzip")
            #expect(String(decoding: gzipped.body, as: UTF8.self) == "gzipped bytes")
            #expect(gzipped.headers[.vary] == "Accept-Encoding")

            // Without a gzip copy the file goes as it is.
            let css = try await stack.gateway.call(.get, "/assets/styles-DEF456.css", headers: [.acceptEncoding: "gzip"])
            #expect(css.status == .ok && css.headers[.contentEncoding] == nil)
            #expect(css.headers[.contentType] == "text/css; charset=utf-8")

            #expect(try await stack.gateway.call(.get, "/assets/nothing-here.js").status == .notFound)
            #expect(try await stack.gateway.call(.get, "/assets/main-ABC123.js.gz").status == .notFound, "gzip copies are not files of their own")
        }
    }

    @Test func aNewBuildIsServedWithoutRestartingTheGateway() async throws {
        let root = try Self.build()
        try await withGateway(settings: ["WEB_ROOT": root]) { stack in
            #expect(try await stack.gateway.call(.get, "/assets/main-NEW789.js").status == .notFound)
            try Data("console.log(2)".utf8).write(to: URL(fileURLWithPath: root).appendingPathComponent("assets/main-NEW789.js"))
            try Data("<!doctype html><title>Parley 2</title>".utf8).write(to: URL(fileURLWithPath: root).appendingPathComponent("index.html"))
            let index = try await stack.gateway.call(.get, "/")
            #expect(String(decoding: index.body, as: UTF8.self).contains("Parley 2"))
            #expect(try await stack.gateway.call(.get, "/assets/main-NEW789.js").status == .ok)
        }
    }

    @Test func withoutABuildTheRootIs404AndTheAPIStillAnswers() async throws {
        try await withGateway(settings: ["WEB_ROOT": "/nonexistent/web"]) { stack in
            let index = try await stack.gateway.call(.get, "/")
            #expect(index.status == .notFound)
            #expect(index.errorCode == "not_found")
            #expect(try await stack.gateway.call(.get, "/health/live").status == .ok)
        }
    }
}
