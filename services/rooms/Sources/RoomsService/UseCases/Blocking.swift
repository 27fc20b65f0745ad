import Foundation
import RoomsAPI
import ServiceKit

/// Blocks between users: a blocked user cannot open or write to a direct room with the blocker.
struct Blocking: Sendable {
    let env: RoomsEnvironment

    func block(_ targetID: UUID, by userID: UUID) async throws {
        guard targetID != userID else { throw AppError.validation(field: "id", "you cannot block yourself") }
        _ = try await env.users.existingUser(targetID)
        try await env.outbox.transaction { tx in
            guard try await env.blocks.block(Block(blockerID: userID, blockedID: targetID, createdAt: env.clock.now()), on: tx.connection) else { return }
            try await tx.emit(RoomEventType.userBlocked.rawValue, stream: userID.apiString,
                              data: try await payload(blocker: userID, blocked: targetID, on: tx))
        }
        try await separationChanged(userID, targetID)
    }

    func unblock(_ targetID: UUID, by userID: UUID) async throws {
        try await env.outbox.transaction { tx in
            guard try await env.blocks.unblock(blockerID: userID, blockedID: targetID, on: tx.connection) else { return }
            try await tx.emit(RoomEventType.userUnblocked.rawValue, stream: userID.apiString,
                              data: try await payload(blocker: userID, blocked: targetID, on: tx))
        }
        try await separationChanged(userID, targetID)
    }

    /// After a block or unblock, also one that changed nothing (a retry after a 503 completes the
    /// first try): the pair's direct room, as it is now that the change is committed, and both users.
    private func separationChanged(_ first: UUID, _ second: UUID) async throws {
        let direct = try await env.rooms.findDirect(pair: Room.directPair(first, second), on: env.db)
        try await env.epochs.bump(rooms: direct.map { [$0.id] } ?? [], users: [first, second])
    }

    /// With the pair's direct room, whose posting rights the block changes.
    private func payload(blocker: UUID, blocked: UUID, on tx: EventTransaction) async throws -> BlockPayload {
        let direct = try await env.rooms.findDirect(pair: Room.directPair(blocker, blocked), on: tx.connection)
        return BlockPayload(blockerId: blocker.apiString, blockedId: blocked.apiString, directRoomId: direct?.id.apiString)
    }

    func blocks(of userID: UUID, page: PageRequest) async throws -> Paged<BlockResponse> {
        let fetched = try await env.blocks.blocks(by: userID, after: try TimeCursor.from(page), limit: page.limit + 1, on: env.db)
        return try await Paged(fetched: fetched, limit: page.limit).replacingItems { blocks in
            let users = try await env.users.users(blocks.map(\.blockedID))
            return blocks.compactMap { block in users[block.blockedID].map { BlockResponse(user: $0, createdAt: block.createdAt) } }
        }
    }
}
