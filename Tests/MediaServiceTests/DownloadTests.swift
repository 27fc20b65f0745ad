import Foundation
import HTTPTypes
import StackSupport
import Testing
import TestSupport

/// Serving files: thumbnails, ranges, validators, and who may read what.
@Suite struct DownloadTests {
    @Test func thumbnailsAreUprightBoundedAndStripped() async throws {
        try await withStack { stack in
            let user = try await stack.gateway.register()
            // Stored 400 x 200 with EXIF orientation 6: displayed 200 x 400.
            let rotated = try await stack.gateway.uploaded(try Fixtures.rotatedJPEG(width: 400, height: 200), filename: "phone.jpg", contentType: "image/jpeg", token: user.token)
            #expect(rotated["width"] as? Int == 200)
            #expect(rotated["height"] as? Int == 400)
            let thumbnail = try await stack.gateway.download(try #require(rotated["thumbnail_url"] as? String), token: user.token)
            #expect(thumbnail.status == .ok)
            #expect(thumbnail.headers[.contentType] == "image/webp")
            let size = try Fixtures.dimensions(of: thumbnail.body)
            #expect(size.width == 160 && size.height == 320, "\(size)")
            // WebP keeps metadata in EXIF/XMP chunks: there are none.
            #expect(thumbnail.body.range(of: Data("EXIF".utf8)) == nil && thumbnail.body.range(of: Data("XMP ".utf8)) == nil)

            let wide = try await stack.gateway.uploaded(try Fixtures.image("png", width: 1000, height: 500), filename: "wide.png", contentType: nil, token: user.token)
            let wideThumbnail = try await stack.gateway.download(try #require(wide["thumbnail_url"] as? String), token: user.token)
            #expect(try Fixtures.dimensions(of: wideThumbnail.body) == (320, 160))
            // A small image is never enlarged.
            let small = try await stack.gateway.uploaded(try Fixtures.image("gif", width: 100, height: 50), filename: "small.gif", contentType: nil, token: user.token)
            let smallThumbnail = try await stack.gateway.download(try #require(small["thumbnail_url"] as? String), token: user.token)
            #expect(try Fixtures.dimensions(of: smallThumbnail.body) == (100, 50))

            let pdf = try await stack.gateway.uploaded(Fixtures.pdf, filename: "a.pdf", contentType: nil, token: user.token)
            let none = try await stack.gateway.download("/attachments/\(try #require(pdf["id"] as? String))/thumbnail", token: user.token)
            #expect(none.status == .notFound)
        }
    }

    @Test func rangesAndValidators() async throws {
        try await withStack { stack in
            let user = try await stack.gateway.register()
            let data = Data("%PDF-1.4\n".utf8) + Data((0..<2000).map { UInt8($0 % 251) })
            let attachment = try await stack.gateway.uploaded(data, filename: "ranged.pdf", contentType: nil, token: user.token)
            let path = "/attachments/\(try #require(attachment["id"] as? String))"

            let whole = try await stack.gateway.download(path, token: user.token)
            #expect(whole.headers[.acceptRanges] == "bytes")
            let etag = try #require(whole.headers[.eTag])
            let cases: [(String, ClosedRange<Int>)] = [("bytes=0-9", 0...9), ("bytes=100-", 100...(data.count - 1)), ("bytes=-5", (data.count - 5)...(data.count - 1)), ("bytes=2000-999999", 2000...(data.count - 1))]
            for (header, expected) in cases {
                let part = try await stack.gateway.download(path, token: user.token, headers: [.range: header])
                #expect(part.status == .partialContent, "\(header)")
                #expect(part.headers[.contentRange] == "bytes \(expected.lowerBound)-\(expected.upperBound)/\(data.count)", "\(header)")
                #expect(part.body == data.subdata(in: expected.lowerBound..<(expected.upperBound + 1)), "\(header)")
            }
            let outside = try await stack.gateway.download(path, token: user.token, headers: [.range: "bytes=5000-"])
            #expect(outside.status == .rangeNotSatisfiable)
            #expect(outside.headers[.contentRange] == "bytes */\(data.count)")
            // A range against another version of the file gets the whole file.
            let stale = try await stack.gateway.download(path, token: user.token, headers: [.range: "bytes=0-9", .ifRange: "\"other\""])
            #expect(stale.status == .ok && stale.body == data)
            let unchanged = try await stack.gateway.download(path, token: user.token, headers: [.ifNoneMatch: etag])
            #expect(unchanged.status == .notModified)
        }
    }

    @Test func accessFollowsTheMessageThatCarriesTheFile() async throws {
        try await withStack { stack in
            let owner = try await stack.gateway.register()
            let member = try await stack.gateway.register()
            let outsider = try await stack.gateway.register()
            let room = try await stack.gateway.call(.post, "/rooms", json: ["name": "Files", "type": "private"], token: owner.token)
            let roomID = try #require(room["id"] as? String)
            _ = try await stack.gateway.call(.post, "/rooms/\(roomID)/members", json: ["user_id": member.id], token: owner.token)

            let image = try await stack.gateway.uploaded(try Fixtures.image("png", width: 40, height: 30), filename: "p.png", contentType: nil, token: owner.token)
            let imageID = try #require(image["id"] as? String)
            let paths = ["/attachments/\(imageID)", "/attachments/\(imageID)/thumbnail", "/attachments/\(imageID)/meta"]
            // Before any message carries it: the uploader only.
            for path in paths {
                #expect(try await stack.gateway.download(path, token: owner.token).status == .ok, "\(path)")
                #expect(try await stack.gateway.download(path, token: member.token).status == .notFound, "\(path)")
            }

            let sent = try await stack.gateway.call(.post, "/rooms/\(roomID)/messages", json: ["attachment_ids": [imageID]], token: owner.token)
            #expect(sent.status == .created)
            #expect(sent["type"] as? String == "image")
            #expect(sent["content"] as? String == "")
            let attachments = try #require(sent["attachments"] as? [[String: Any]])
            #expect(attachments.count == 1)
            #expect(attachments.first?["url"] as? String == "/attachments/\(imageID)")
            #expect(attachments.first?["thumbnail_url"] as? String == "/attachments/\(imageID)/thumbnail")
            #expect(attachments.first?["width"] as? Int == 40 && attachments.first?["height"] as? Int == 30)
            let history = try await stack.gateway.call(.get, "/rooms/\(roomID)/messages", token: member.token)
            let listed = (history["messages"] as? [[String: Any]])?.last { $0["id"] as? String == sent["id"] as? String }
            #expect((listed?["attachments"] as? [[String: Any]])?.first?["id"] as? String == imageID)

            for path in paths {
                #expect(try await stack.gateway.download(path, token: member.token).status == .ok, "member: \(path)")
                #expect(try await stack.gateway.download(path, token: outsider.token).status == .notFound, "outsider: \(path)")
            }
            // A file is carried by one message; someone else's file by none of theirs.
            let again = try await stack.gateway.call(.post, "/rooms/\(roomID)/messages", json: ["content": "again", "attachment_ids": [imageID]], token: owner.token)
            #expect(again.status == .badRequest)
            let memberFile = try await stack.gateway.uploaded(Fixtures.pdf, filename: "m.pdf", contentType: nil, token: member.token)
            let stolen = try await stack.gateway.call(
                .post, "/rooms/\(roomID)/messages", json: ["content": "mine", "attachment_ids": [try #require(memberFile["id"] as? String)]],
                token: owner.token)
            #expect(stolen.status == .badRequest)
            #expect(stolen.errorField == "attachment_ids")
            let document = try await stack.gateway.call(
                .post, "/rooms/\(roomID)/messages", json: ["content": "the doc", "attachment_ids": [try #require(memberFile["id"] as? String)]],
                token: member.token)
            #expect(document["type"] as? String == "file")

            // Once its message is deleted, only the uploader can read it.
            let deleted = try await stack.gateway.call(.delete, "/messages/\(try #require(sent["id"] as? String))", token: owner.token)
            #expect(deleted.status == .noContent)
            #expect(try await stack.gateway.download(paths[0], token: member.token).status == .notFound)
            #expect(try await stack.gateway.download(paths[0], token: owner.token).status == .ok)
        }
    }

    @Test func unlinkedUploadsAreSweptOnceStale() async throws {
        let clock = TestClock()
        try await withStack(mediaSettings: ["UNLINKED_TTL_SECONDS": "60", "SWEEP_INTERVAL_SECONDS": "1"], mediaClock: clock.wallClock) { stack in
            clock.set()
            let user = try await stack.gateway.register()
            let room = try await stack.gateway.call(.post, "/rooms", json: ["name": "Keep", "type": "private"], token: user.token)
            let roomID = try #require(room["id"] as? String)
            let kept = try await stack.gateway.uploaded(try Fixtures.image("png", width: 20, height: 20), filename: "kept.png", contentType: nil, token: user.token)
            let keptID = try #require(kept["id"] as? String)
            // Sent, deleted, and sent again at once: the late unlink of the deletion leaves it linked.
            let first = try await stack.gateway.call(.post, "/rooms/\(roomID)/messages", json: ["attachment_ids": [keptID]], token: user.token)
            #expect(try await stack.gateway.call(.delete, "/messages/\(try #require(first["id"] as? String))", token: user.token).status == .noContent)
            // Media's clock catches up with messages' (which dated the deletion): the link below is later.
            clock.set()
            let again = try await stack.gateway.call(.post, "/rooms/\(roomID)/messages", json: ["attachment_ids": [keptID]], token: user.token)
            #expect(again.status == .created)
            let dropped = try await stack.gateway.uploaded(try Fixtures.image("png", width: 20, height: 20), filename: "dropped.png", contentType: nil, token: user.token)
            let droppedID = try #require(dropped["id"] as? String)
            // A minute on, the sweeper's next round finds the upload no message carries stale.
            clock.advance(by: 61)
            try await eventually("the unlinked upload was never swept") {
                try await stack.gateway.download("/attachments/\(droppedID)/meta", token: user.token).status == .notFound
            }
            // The row goes first, its files just after.
            try await eventually("the swept upload's files stayed") { stack.storedObjects().count == 2 }
            #expect(stack.storedObjects().allSatisfy { $0.contains(keptID) })
            #expect(try await stack.gateway.download("/attachments/\(keptID)", token: user.token).status == .ok)
        }
    }
}
