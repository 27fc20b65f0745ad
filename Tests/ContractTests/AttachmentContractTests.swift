import AsyncHTTPClient
import Foundation
import HummingbirdTesting
import MediaAPI
import MessagesAPI
import ServiceKit
import StackSupport
import Testing
import TestSupport

/// The two internal calls between messages and media, each through the consumer's generated
/// client against the live provider: messages claiming a sender's uploads from media
/// (`claimAttachments`), and media asking messages who may read a linked file
/// (`checkAttachmentViewer`). Both refuse a caller without the service credential.
@Suite struct AttachmentContractTests {
    static func peer(_ url: String?, token: String = TestEnvironment.serviceToken) throws -> PeerConnection {
        let baseURL = try #require(url)
        return try PeerConnection(name: "peer", baseURL: baseURL, httpClient: .shared, token: token)
    }

    @Test func messagesAndMediaAnswerEachOtherAsTheirContractsSay() async throws {
        try await withStack { stack in
            let owner = try await stack.gateway.register()
            let outsider = try await stack.gateway.register()
            let upload = try await stack.gateway.execute(
                uri: "/attachments/upload", method: .post,
                headers: [.contentType: "multipart/form-data; boundary=b0undary", .authorization: "Bearer \(owner.token)"],
                body: .init(string: "--b0undary\r\nContent-Disposition: form-data; name=\"file\"; filename=\"c.pdf\"\r\n\r\n%PDF-1.4\n%%EOF\n\r\n--b0undary--\r\n")
            ) { response in try JSONSerialization.jsonObject(with: Data(buffer: response.body)) as? [String: Any] }
            let uploadedID = try #require(upload?["id"] as? String)
            let attachmentID = try #require(UUID(uuidString: uploadedID))
            let ownerID = try #require(UUID(uuidString: owner.id))
            let outsiderID = try #require(UUID(uuidString: outsider.id))

            let media = HTTPAttachmentRegistry(peer: try Self.peer(stack.serviceURLs["media"]))
            let viewers = HTTPAttachmentViewers(peer: try Self.peer(stack.serviceURLs["messages"]))
            // Someone else's upload is left out; the uploader's comes back as a message shows it.
            #expect(try await media.claim([attachmentID], for: outsiderID).isEmpty)
            let claimed = try #require(try await media.claim([attachmentID], for: ownerID).first)
            #expect(claimed.id == attachmentID && claimed.filename == "c.pdf" && claimed.mimeType == "application/pdf")
            #expect(claimed.url == "/attachments/\(attachmentID.apiString)" && claimed.thumbnailUrl == nil && !claimed.isImage)
            // Claimed is not carried: no message holds it yet.
            #expect(try await viewers.canView(attachment: attachmentID, user: ownerID) == false)

            let room = try await stack.gateway.call(.post, "/rooms", json: ["name": "Contract", "type": "private"], token: owner.token)
            let sent = try await stack.gateway.call(
                .post, "/rooms/\(try #require(room["id"] as? String))/messages", json: ["attachment_ids": [attachmentID.apiString]], token: owner.token)
            #expect(sent.status == .created)
            #expect(try await viewers.canView(attachment: attachmentID, user: ownerID))
            #expect(try await viewers.canView(attachment: attachmentID, user: outsiderID) == false)

            // Without the service credential both answer 404, which the clients report as the peer being unavailable.
            await #expect(throws: AppError.self) {
                _ = try await HTTPAttachmentRegistry(peer: try Self.peer(stack.serviceURLs["media"], token: "wrong")).claim([attachmentID], for: ownerID)
            }
            #expect(try await HTTPAttachmentViewers(peer: try Self.peer(stack.serviceURLs["messages"], token: "wrong")).canView(attachment: attachmentID, user: ownerID) == false)
        }
    }
}
