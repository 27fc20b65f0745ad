import Foundation
import RoomsAPI

/// Rooms, for a service tested without it: each question is answered by the closure the test
/// set; a question it did not set fails the test.
public struct RoomDirectoryStub: RoomDirectory {
    public var roomIDs: @Sendable (_ userID: UUID) async throws -> Set<UUID> = { _ in try unexpectedCall("RoomDirectory.roomIDs(of:)") }
    public var access: @Sendable (_ userID: UUID, _ roomID: UUID) async throws -> RoomAccess? = { _, _ in
        try unexpectedCall("RoomDirectory.access(of:in:)")
    }
    public var roster: @Sendable (_ roomID: UUID) async throws -> RoomRoster? = { _ in try unexpectedCall("RoomDirectory.roster(of:)") }
    public var blockers: @Sendable (_ userID: UUID) async throws -> Set<UUID> = { _ in try unexpectedCall("RoomDirectory.blockers(of:)") }

    public init() {}

    public func roomIDs(of userID: UUID) async throws -> Set<UUID> { try await roomIDs(userID) }
    public func access(of userID: UUID, in roomID: UUID) async throws -> RoomAccess? { try await access(userID, roomID) }
    public func roster(of roomID: UUID) async throws -> RoomRoster? { try await roster(roomID) }
    public func blockers(of userID: UUID) async throws -> Set<UUID> { try await blockers(userID) }
}
