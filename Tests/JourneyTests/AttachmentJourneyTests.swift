import Foundation
import HTTPTypes
import StackSupport
import Testing
import TestSupport

/// Attachments across messages and media: who may read a file follows the message that carries
/// it, and an upload no message carries is swept once stale.
@Suite struct AttachmentJourneyTests {
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
