import Foundation
import Logging
import ServiceKit

/// Messages sent later (issue 21): an author schedules one in a room they may send to, lists,
/// changes and cancels their own, and `deliverDue` sends each at its time, once, whichever
/// instance gets to it, checking then that the author may still send there. One that may not is
/// marked failed with the reason, for its author to see (and a `scheduled_message_updated`
/// frame tells their open tabs).
struct ScheduledMessages: Sendable {
    let env: MessagesEnvironment
    let messaging: Messaging
    let store: ScheduledMessageStore
    let publisher: SignalPublisher
    /// How long a claimed delivery is this instance's before another may take it over.
    static let claimSeconds: TimeInterval = 60
    /// Due messages claimed at once.
    static let batch = 20

    struct Draft: Sendable {
        let content: String?
        let parentID: UUID?
        let sendAt: Date?
    }

    func schedule(in roomID: UUID, by userID: UUID, _ readDraft: () async throws -> Draft) async throws -> ScheduledMessage {
        try await env.require(.post, roomID: roomID, userID: userID)
        let draft = try await readDraft()
        guard let content = draft.content else { throw AppError.validation(field: "content", "content is required") }
        guard let sendAt = draft.sendAt else { throw AppError.validation(field: "send_at", "send_at is required") }
        let now = env.clock.now()
        try Self.check(sendAt, now: now)
        if let parentID = draft.parentID {
            guard let parent = try await env.messages.find(id: parentID, on: env.db), parent.roomID == roomID else {
                throw AppError.validation(field: "parent_id", "parent_id is not a message of this room")
            }
        }
        guard try await store.waitingCount(of: userID, in: roomID, on: env.db) < ScheduledMessage.maxPerRoom else {
            throw AppError.conflict("you have \(ScheduledMessage.maxPerRoom) messages waiting in this room", code: "too_many_scheduled")
        }
        let message = ScheduledMessage(
            id: env.ids.next(at: now), roomID: roomID, senderID: userID, content: content, parentID: draft.parentID, sendAt: sendAt,
            status: .scheduled, failure: nil, messageID: nil, createdAt: now, updatedAt: now)
        try await store.insert(message, on: env.db)
        return message
    }

    /// The caller's messages in the room not sent yet: waiting, and failed ones.
    func list(in roomID: UUID, for userID: UUID) async throws -> [ScheduledMessage] {
        _ = try await env.require(.view, roomID: roomID, userID: userID)
        return try await store.unsent(of: userID, in: roomID, on: env.db)
    }

    /// New content or a new time (a failed one waits again); once sent it is a message like any.
    func edit(_ id: UUID, by userID: UUID, _ readDraft: () async throws -> Draft) async throws -> ScheduledMessage {
        var message = try await own(id, userID)
        guard message.status != .sent else { throw AppError.conflict("the message was sent already", code: "already_sent") }
        let draft = try await readDraft()
        guard draft.content != nil || draft.sendAt != nil else { throw AppError.validation(field: "content", "give content, send_at or both") }
        let now = env.clock.now()
        if let sendAt = draft.sendAt {
            try Self.check(sendAt, now: now)
            message.sendAt = sendAt
        } else if message.status == .failed || message.sendAt < now.addingTimeInterval(ScheduledMessage.earliest) {
            throw AppError.validation(field: "send_at", "send_at must be given anew: the old time has passed")
        }
        if let content = draft.content { message.content = content }
        (message.status, message.failure, message.updatedAt) = (.scheduled, nil, now)
        guard try await store.update(message, on: env.db) else {
            throw AppError.conflict("the message was sent already", code: "already_sent")
        }
        return message
    }

    func cancel(_ id: UUID, by userID: UUID) async throws {
        let message = try await own(id, userID)
        guard message.status != .sent, try await store.delete(id: id, on: env.db) else {
            throw AppError.conflict("the message was sent already", code: "already_sent")
        }
    }

    /// Sends what is due now, a batch at a time; returns how many were handled.
    func deliverDue() async throws -> Int {
        let now = env.clock.now()
        let due = try await store.claimDue(at: now, until: now.addingTimeInterval(Self.claimSeconds), limit: Self.batch, on: env.db)
        for message in due {
            do {
                try await deliver(message)
            } catch {
                // Rooms or Postgres out of reach: its claim runs out and it is tried again then.
                env.logger.warning("a scheduled message could not be delivered yet", metadata: ["id": "\(message.id)", "error": "\(error)"])
            }
        }
        return due.count
    }

    private func deliver(_ scheduled: ScheduledMessage) async throws {
        let draft = Messaging.Draft(content: scheduled.content, parentID: scheduled.parentID, attachmentIDs: [], clientID: scheduled.clientID)
        let updated: ScheduledMessage?
        do {
            let sent = try await messaging.deliver(draft, in: scheduled.roomID, by: scheduled.senderID)
            updated = try await store.markSent(scheduled.id, as: sent.id, at: env.clock.now(), on: env.db)
        } catch let error as AppError where error.status.code < 500 {
            // The author may no longer send there (left, removed, muted, blocked), or what it
            // replies to is gone: it fails, visibly to them. Anything else is tried again later.
            updated = try await store.markFailed(scheduled.id, reason: error.message, at: env.clock.now(), on: env.db)
        }
        guard let updated else { return }
        let frame = JSONValue.object(["type": .string("scheduled_message_updated"), "data": .object(["scheduled_message": updated.json])])
        try? await publisher.publish(RealtimeSignal(frame: frame.jsonText, users: [updated.senderID]))
    }

    private func own(_ id: UUID, _ userID: UUID) async throws -> ScheduledMessage {
        guard let message = try await store.find(id: id, on: env.db), message.senderID == userID else {
            throw AppError.notFound("scheduled message not found")
        }
        return message
    }

    static func check(_ sendAt: Date, now: Date) throws {
        guard sendAt >= now.addingTimeInterval(ScheduledMessage.earliest), sendAt <= now.addingTimeInterval(ScheduledMessage.latest) else {
            throw AppError.validation(field: "send_at", "send_at must be between 1 minute and 1 year from now")
        }
    }
}
