import Foundation
import HTTPTypes
import Testing
import TestSupport

/// Serving files: thumbnails, ranges and validators (who may read a file a message carries: `AttachmentJourneyTests`).
@Suite struct DownloadTests {
    @Test func thumbnailsAreUprightBoundedAndStripped() async throws {
        try await withMedia { stack in
            let user = try await stack.register()
            // Stored 400 x 200 with EXIF orientation 6: displayed 200 x 400.
            let rotated = try await stack.media.uploaded(try Fixtures.rotatedJPEG(width: 400, height: 200), filename: "phone.jpg", contentType: "image/jpeg", token: user.token)
            #expect(rotated["width"] as? Int == 200)
            #expect(rotated["height"] as? Int == 400)
            let thumbnail = try await stack.media.download(try #require(rotated["thumbnail_url"] as? String), token: user.token)
            #expect(thumbnail.status == .ok)
            #expect(thumbnail.headers[.contentType] == "image/webp")
            let size = try Fixtures.dimensions(of: thumbnail.body)
            #expect(size.width == 160 && size.height == 320, "\(size)")
            // WebP keeps metadata in EXIF/XMP chunks: there are none.
            #expect(thumbnail.body.range(of: Data("EXIF".utf8)) == nil && thumbnail.body.range(of: Data("XMP ".utf8)) == nil)

            let wide = try await stack.media.uploaded(try Fixtures.image("png", width: 1000, height: 500), filename: "wide.png", contentType: nil, token: user.token)
            let wideThumbnail = try await stack.media.download(try #require(wide["thumbnail_url"] as? String), token: user.token)
            #expect(try Fixtures.dimensions(of: wideThumbnail.body) == (320, 160))
            // A small image is never enlarged.
            let small = try await stack.media.uploaded(try Fixtures.image("gif", width: 100, height: 50), filename: "small.gif", contentType: nil, token: user.token)
            let smallThumbnail = try await stack.media.download(try #require(small["thumbnail_url"] as? String), token: user.token)
            #expect(try Fixtures.dimensions(of: smallThumbnail.body) == (100, 50))

            let pdf = try await stack.media.uploaded(Fixtures.pdf, filename: "a.pdf", contentType: nil, token: user.token)
            let none = try await stack.media.download("/attachments/\(try #require(pdf["id"] as? String))/thumbnail", token: user.token)
            #expect(none.status == .notFound)
        }
    }

    @Test func rangesAndValidators() async throws {
        try await withMedia { stack in
            let user = try await stack.register()
            let data = Data("%PDF-1.4\n".utf8) + Data((0..<2000).map { UInt8($0 % 251) })
            let attachment = try await stack.media.uploaded(data, filename: "ranged.pdf", contentType: nil, token: user.token)
            let path = "/attachments/\(try #require(attachment["id"] as? String))"

            let whole = try await stack.media.download(path, token: user.token)
            #expect(whole.headers[.acceptRanges] == "bytes")
            let etag = try #require(whole.headers[.eTag])
            let cases: [(String, ClosedRange<Int>)] = [("bytes=0-9", 0...9), ("bytes=100-", 100...(data.count - 1)), ("bytes=-5", (data.count - 5)...(data.count - 1)), ("bytes=2000-999999", 2000...(data.count - 1))]
            for (header, expected) in cases {
                let part = try await stack.media.download(path, token: user.token, headers: [.range: header])
                #expect(part.status == .partialContent, "\(header)")
                #expect(part.headers[.contentRange] == "bytes \(expected.lowerBound)-\(expected.upperBound)/\(data.count)", "\(header)")
                #expect(part.body == data.subdata(in: expected.lowerBound..<(expected.upperBound + 1)), "\(header)")
            }
            let outside = try await stack.media.download(path, token: user.token, headers: [.range: "bytes=5000-"])
            #expect(outside.status == .rangeNotSatisfiable)
            #expect(outside.headers[.contentRange] == "bytes */\(data.count)")
            // A range against another version of the file gets the whole file.
            let stale = try await stack.media.download(path, token: user.token, headers: [.range: "bytes=0-9", .ifRange: "\"other\""])
            #expect(stale.status == .ok && stale.body == data)
            let unchanged = try await stack.media.download(path, token: user.token, headers: [.ifNoneMatch: etag])
            #expect(unchanged.status == .notModified)
        }
    }
}
