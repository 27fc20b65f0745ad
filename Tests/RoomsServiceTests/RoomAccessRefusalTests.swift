import Foundation
import HTTPTypes
import RoomsAPI
import ServiceKit
import Testing

/// The refusals every service that asks rooms about a member gives (`RoomAccess.require`), in
/// rooms' words: what messages answers a muted sender or a stranger is defined here, once.
@Suite struct RoomAccessRefusalTests {
    static func access(
        type: String = "private", member: Bool = true, muted: Bool = false, banned: Bool = false, blocked: Bool = false,
        allowed: Set<RoomAction> = [.view]
    ) -> RoomAccess {
        RoomAccess(
            roomID: UUID(), roomType: type, isMember: member, role: member ? "member" : nil, muted: muted, banned: banned, blocked: blocked,
            notificationLevel: member ? "all" : nil, allowedActions: Set(allowed.map(\.rawValue)))
    }

    static func refusal(_ access: RoomAccess, _ action: RoomAction) -> (HTTPResponse.Status, String)? {
        do {
            try access.require(action)
            return nil
        } catch let error as AppError {
            return (error.status, error.code)
        } catch {
            return (.internalServerError, "\(error)")
        }
    }

    @Test func strangersAreToldOnlyWhatTheyMayKnow() {
        #expect(Self.refusal(Self.access(type: "private", member: false), .view)! == (.notFound, "not_found"))
        #expect(Self.refusal(Self.access(type: "direct", member: false), .view)! == (.notFound, "not_found"))
        #expect(Self.refusal(Self.access(type: "public", member: false), .view)! == (.forbidden, "not_a_member"))
        #expect(Self.refusal(Self.access(type: "public", member: false, banned: true), .view)! == (.forbidden, "banned"))
    }

    @Test func membersHearWhyAnActionIsRefused() {
        #expect(Self.refusal(Self.access(), .view) == nil)
        #expect(Self.refusal(Self.access(muted: true), .post)! == (.forbidden, "muted"))
        #expect(Self.refusal(Self.access(type: "direct", blocked: true), .react)! == (.forbidden, "blocked"))
        #expect(Self.refusal(Self.access(), .deleteAnyMessage)! == (.forbidden, "forbidden"))
        // Muted or blocked only explains what adds to the conversation.
        #expect(Self.refusal(Self.access(muted: true), .pinMessage)! == (.forbidden, "forbidden"))
        #expect(Self.refusal(Self.access(type: "direct"), .addMember)! == (.forbidden, "forbidden"))
    }
}
