import AuthAPI
import CallsAPI
import Foundation
import NotifyAPI
import RoomsAPI
import ServiceKit

/// Makes notifications from what happened elsewhere, each event applied once: who hears of it
/// comes from rooms as it is now (members, their levels and roles, and who blocked the actor;
/// `RoomPeople`), so a level set or a block made a moment ago counts. The notifications, the
/// event's id and the live events for the recipients' sessions commit together.
struct Notifying: Sendable {
    let env: NotifyEnvironment
    let rooms: RoomPeople
    let users: any UserDirectory

    /// A message sent, or edited to mention someone new.
    func messageSent(_ notice: MessageNotice, event: Event) async throws {
        guard let roster = try await rooms.roster(of: notice.roomID) else { return }
        var recipients = NotificationPlanner.recipients(of: notice, in: roster)
        guard !recipients.isEmpty else { return }
        let blockers = try await rooms.blockers(of: notice.senderID)
        recipients = recipients.filter { !blockers.contains($0.key) }
        let actorName = Self.name(of: notice.sender)
        let preview = NotificationText.preview(content: notice.content, attachmentNames: notice.attachmentNames)
        let now = env.clock.now()
        let notifications = recipients.sorted { $0.key.uuidString < $1.key.uuidString }.map { recipient, type in
            Notification(
                id: env.ids.next(at: now), recipientID: recipient, type: type, subjectID: notice.messageID, roomID: notice.roomID,
                roomName: roster.roomName, roomType: roster.roomType, messageID: notice.messageID, threadID: notice.threadID,
                actor: notice.sender, title: NotificationText.title(type, actor: actorName, roomName: roster.roomName, roomType: roster.roomType),
                content: preview, createdAt: now, expiresAt: now.addingTimeInterval(env.lifetime))
        }
        try await deliver(notifications, causedBy: event)
    }

    /// Someone added to a room by an admin (`member_joined` `via: added`).
    func memberAdded(_ userID: UUID, to roomID: UUID, by actorID: UUID, event: Event) async throws {
        guard actorID != userID, let roster = try await rooms.roster(of: roomID), roster.members.contains(where: { $0.userID == userID }),
            !(try await rooms.blockers(of: actorID)).contains(userID), let actor = try await users.user(actorID)
        else { return }
        let now = env.clock.now()
        let notification = Notification(
            id: env.ids.next(at: now), recipientID: userID, type: .roomInvite, subjectID: event.id, roomID: roomID,
            roomName: roster.roomName, roomType: roster.roomType, messageID: nil, threadID: nil, actor: try EventJSON.value(of: actor),
            title: NotificationText.title(.roomInvite, actor: actor.displayName, roomName: roster.roomName, roomType: roster.roomType),
            content: NotificationText.invite(actor: actor.displayName, roomName: roster.roomName),
            createdAt: now, expiresAt: now.addingTimeInterval(env.lifetime))
        try await deliver([notification], causedBy: event)
    }

    /// A call began (calls' `call_started`): everyone it rings hears of it, once per call. Calls
    /// chose them (members who have not muted the room, no one who blocked the caller); whoever
    /// left the room since is skipped.
    func callStarted(_ started: CallChanged, event: Event) async throws {
        let call = started.call
        guard let ringing = started.ringingUserIds, !ringing.isEmpty, let roster = try await rooms.roster(of: started.roomId),
            let caller = try await users.user(call.startedBy)
        else { return }
        let members = Set(roster.members.map(\.userID))
        let now = env.clock.now()
        let actor = try EventJSON.value(of: caller)
        let notifications = ringing.filter { members.contains($0) && $0 != call.startedBy }.map { recipient in
            Notification(
                id: env.ids.next(at: now), recipientID: recipient, type: .call, subjectID: call.id, roomID: started.roomId,
                roomName: roster.roomName, roomType: roster.roomType, messageID: nil, threadID: nil, actor: actor,
                title: NotificationText.title(.call, actor: caller.displayName, roomName: roster.roomName, roomType: roster.roomType),
                content: NotificationText.call(kind: call.kind), createdAt: now, expiresAt: now.addingTimeInterval(env.lifetime))
        }
        guard !notifications.isEmpty else { return }
        try await deliver(notifications, causedBy: event)
    }

    /// Sign-in attempts to the user's account paused after too many failures from one address
    /// (auth's `login_locked`): the owner hears of it, once per pause.
    func signInPaused(_ notice: SignInPause, event: Event) async throws {
        let now = env.clock.now()
        let notification = Notification(
            id: env.ids.next(at: now), recipientID: notice.userID, type: .security, subjectID: event.id, roomID: nil, roomName: nil,
            roomType: nil, messageID: nil, threadID: nil, actor: .null, title: NotificationText.signInPausedTitle,
            content: NotificationText.signInPaused(address: notice.address, failedAttempts: notice.failedAttempts, until: notice.lockedUntil),
            createdAt: now, expiresAt: now.addingTimeInterval(env.lifetime))
        try await deliver([notification], causedBy: event)
    }

    /// A message deleted: its unread notifications are withdrawn (read ones stay in the history).
    func messageDeleted(_ messageID: UUID, event: Event) async throws {
        try await env.outbox.transaction { tx in
            guard try await PostgresInbox.claim(event, on: tx.connection, logger: env.logger) else { return }
            // The recipients' locks come first, as in every change of their notifications.
            try await tx.lock(streams: try await env.store.unreadRecipients(aboutMessage: messageID, on: tx.connection).map(\.apiString))
            let removed = try await env.store.deleteUnread(aboutMessage: messageID, on: tx.connection)
            guard !removed.isEmpty else { return }
            let byRecipient = Dictionary(grouping: removed, by: \.recipient)
            let counts = try await env.store.unreadCounts(of: Array(byRecipient.keys), now: env.clock.now(), on: tx.connection)
            try await tx.emit(NotifyEventType.notificationsRemoved.rawValue, toEach: try byRecipient.map { recipient, rows in
                (recipient.apiString, try EventJSON.value(of: NotificationsChangedPayload(
                    userId: recipient.apiString, notificationIds: rows.map(\.id.apiString), unreadCount: counts[recipient] ?? 0)))
            })
        }
    }

    /// Writes the notifications that are new (a recipient has one per subject) and emits
    /// `notification_created` for each with the recipient's unread count after it.
    private func deliver(_ notifications: [Notification], causedBy event: Event) async throws {
        try await env.outbox.transaction { tx in
            guard try await PostgresInbox.claim(event, on: tx.connection, logger: env.logger) else { return }
            try await tx.lock(streams: notifications.map(\.recipientID.apiString))
            let written = try await env.store.insert(notifications, on: tx.connection)
            guard !written.isEmpty else { return }
            let counts = try await env.store.unreadCounts(of: written.map(\.recipientID), now: env.clock.now(), on: tx.connection)
            try await tx.emit(NotifyEventType.notificationCreated.rawValue, toEach: written.map { notification in
                (notification.recipientID.apiString, notificationCreatedPayload(notification, unreadCount: counts[notification.recipientID] ?? 0))
            })
        }
    }

    private static func name(of user: JSONValue) -> String {
        user["display_name"]?.stringValue ?? user["username"]?.stringValue ?? "Someone"
    }
}
