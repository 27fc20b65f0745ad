import AuthService
import Foundation
import HummingbirdTesting
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import RoomsAPI
import RoomsService
import ServiceKit
import Testing
import TestSupport

/// Runs real auth and rooms services and drives rooms through its generated client: the internal
/// API exactly as the messages service will call it (service credential, membership and role,
/// mutes, bans, blocks, member and room ids), plus the public calls that set the scene.
@Suite struct RoomsContractTests {
    static func client(port: Int, token: String) -> RoomsAPI.Client {
        RoomsAPI.Client(
            serverURL: URL(string: "http://127.0.0.1:\(port)")!,
            configuration: .init(dateTranscoder: .iso8601WithFractionalSeconds),
            transport: AsyncHTTPClientTransport(),
            middlewares: [BearerTokenMiddleware(token: token)])
    }

    /// Registers a user through auth's own client; returns their id and token.
    static func register(authPort: Int) async throws -> (id: String, token: String) {
        let username = "rc_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let session = try await AuthContractTests.client(port: authPort)
            .register(body: .json(.init(username: username, password: "contract pass"))).created.body.json
        return (session.user.value1.id, session.token)
    }

    @Test func theInternalAPIAnswersAsTheContractSays() async throws {
        let overrides = try await TestEnvironment.serviceOverrides()
        let auth = try await AuthService.buildApplication(settings: AuthSettings(reader: TestEnvironment.reader(overrides)))
        try await auth.test(.live) { authClient in
            let authPort = try #require(authClient.port)
            let roomsOverrides = overrides.merging(["AUTH_URL": "http://127.0.0.1:\(authPort)"]) { $1 }
            let rooms = try await RoomsService.buildApplication(settings: RoomsSettings(reader: TestEnvironment.reader(roomsOverrides)))
            try await rooms.test(.live) { roomsClient in
                let port = try #require(roomsClient.port)
                let (ownerID, ownerToken) = try await Self.register(authPort: authPort)
                let (memberID, _) = try await Self.register(authPort: authPort)
                let (outsiderID, _) = try await Self.register(authPort: authPort)
                let owner = Self.client(port: port, token: ownerToken)
                let service = Self.client(port: port, token: TestEnvironment.serviceToken)

                let room = try await owner.createRoom(body: .json(.init(_type: ._private, name: "Contract"))).created.body.json
                _ = try await owner.addMember(path: .init(id: room.id), body: .json(.init(userId: memberID))).created
                _ = try await owner.muteMember(path: .init(id: room.id, userId: memberID), body: .json(.init(durationSeconds: 600))).ok
                _ = try await owner.banUser(path: .init(id: room.id), body: .json(.init(userId: outsiderID))).created
                _ = try await owner.blockUser(path: .init(id: outsiderID)).noContent

                // The question every message send asks.
                let ownerAccess = try await service.getMemberAccess(path: .init(id: room.id, userId: ownerID)).ok.body.json
                #expect(ownerAccess.isMember && ownerAccess.role == .owner && ownerAccess.roomType == ._private)
                #expect(ownerAccess.allowedActions.contains(.post) && ownerAccess.allowedActions.contains(.deleteRoom))
                let muted = try await service.getMemberAccess(path: .init(id: room.id, userId: memberID)).ok.body.json
                #expect(muted.isMember && muted.role == .member && muted.muted && muted.mutedUntil != nil)
                #expect(muted.allowedActions.contains(.view) && !muted.allowedActions.contains(.post))
                #expect(muted.notificationLevel == .mentions)
                let banned = try await service.getMemberAccess(path: .init(id: room.id, userId: outsiderID)).ok.body.json
                #expect(!banned.isMember && banned.banned && banned.role == nil && banned.allowedActions.isEmpty)
                let unknownRoom = try await service.getMemberAccess(path: .init(id: UUID().uuidString.lowercased(), userId: ownerID))
                #expect(try unknownRoom.notFound.body.json.error.code == "not_found")

                let members = try await service.getRoomMembers(path: .init(id: room.id)).ok.body.json
                #expect(members.roomType == ._private && members.roomName == "Contract")
                #expect(Set(members.members.map(\.userId)) == [ownerID, memberID])
                #expect(try await service.getUserRoomIds(path: .init(id: memberID)).ok.body.json.roomIds == [room.id])
                #expect(try await service.getUserRoomIds(path: .init(id: outsiderID)).ok.body.json.roomIds.isEmpty)
                #expect(try await service.getUserBlocks(path: .init(id: ownerID)).ok.body.json.userIds == [outsiderID])
                #expect(try await service.getUserBlockers(path: .init(id: outsiderID)).ok.body.json.userIds == [ownerID])
                #expect(try await service.getUserBlockers(path: .init(id: ownerID)).ok.body.json.userIds.isEmpty)
                let pair = try await service.getBlockPair(path: .init(userId: outsiderID, otherId: ownerID)).ok.body.json
                #expect(!pair.userBlocksOther && pair.otherBlocksUser)

                // A user's token is not the service credential: the internal API does not exist for it.
                let asUser = try await owner.getMemberAccess(path: .init(id: room.id, userId: ownerID))
                #expect(try asUser.notFound.body.json.error.code == "not_found")
            }
        }
    }
}
