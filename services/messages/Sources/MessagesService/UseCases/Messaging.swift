import AuthAPI
import Foundation
import MediaAPI
import MessageMarkup
import MessagesAPI
import RoomsAPI
import ServiceKit

/// Sending, reading, editing and deleting messages.
///
/// What a request carries (its body, its query) is read only once the caller's access to the room
/// or message was checked (each use case takes a closure that reads it): an unknown or invisible
/// room is 404 whatever the request holds, and a validation error never tells that it exists.
struct Messaging: Sendable {
    let env: MessagesEnvironment
    /// Media: links the files a message carries.
    let media: any AttachmentRegistry
    /// Sends and edits share one budget per user: an edit is rendered and reaches every member as
    /// a send does.
    let sendLimiter: RateLimiter
    let editWindow: TimeInterval

    struct Draft: Sendable {
        let content: String
        let parentID: UUID?
        let attachmentIDs: [UUID]
        let clientID: String?
    }

    /// Sends the draft `readDraft` reads; `created` is false for a repeat of a `client_id` the
    /// sender used before, which returns the original and changes nothing. A send that fails
    /// after it was counted (an attachment or parent that is not there) gives its slot back.
    func send(to roomID: UUID, by userID: UUID, _ readDraft: () async throws -> Draft) async throws -> (message: MessageResponse, created: Bool) {
        try await env.require(.post, roomID: roomID, userID: userID)
        let draft = try await readDraft()
        // A send again with a `client_id` already used (a client's retry) is found by the insert,
        // not looked up before every send; it gives its rate slot back, and at the limit it still
        // gets its original.
        do {
            let (stored, senderSummary) = try await sendLimiter.counting(userID.apiString, now: env.clock.now()) {
                try await store(draft, in: roomID, by: userID)
            }
            return (MessageResponse(message: stored, sender: senderSummary, reactions: [], readCount: 0), true)
        } catch let error as AppError where error.status == .tooManyRequests {
            guard let original = try await original(of: draft, in: roomID, by: userID) else { throw error }
            return (try await env.response(original, viewer: userID), false)
        } catch is AlreadySent {
            return (try await env.response(try await sentBefore(draft, in: roomID, by: userID), viewer: userID), false)
        }
    }

    /// Sends a scheduled message as its author at its time: their standing in the room is checked
    /// now, as for any send, but it is outside their rate budget (they wrote it earlier). Its
    /// `client_id` makes it once: a second delivery returns the message the first made.
    func deliver(_ draft: Draft, in roomID: UUID, by userID: UUID) async throws -> Message {
        try await env.require(.post, roomID: roomID, userID: userID)
        do {
            return try await store(draft, in: roomID, by: userID).0
        } catch is AlreadySent {
            return try await sentBefore(draft, in: roomID, by: userID)
        }
    }

    /// The message sent before with the draft's `client_id`, if any.
    private func original(of draft: Draft, in roomID: UUID, by userID: UUID) async throws -> Message? {
        guard let clientID = draft.clientID else { return nil }
        return try await env.messages.find(room: roomID, sender: userID, clientID: clientID, on: env.db)
    }

    /// The message a send that lost its `client_id` conflict (`AlreadySent`) repeats.
    private func sentBefore(_ draft: Draft, in roomID: UUID, by userID: UUID) async throws -> Message {
        guard let original = try await original(of: draft, in: roomID, by: userID) else {
            throw AppError.internal("a send lost its client_id conflict but the original is gone")
        }
        return original
    }

    /// The draft's `client_id` was used before: its message exists already.
    private struct AlreadySent: Error {}

    /// Writes a new message with its event, then puts it in the recent-messages cache (a new
    /// message has no reactions and no reader yet: nothing to look up); throws `AlreadySent` when
    /// a send with the same `client_id` came first. The content is rendered before the
    /// transaction, which holds the room's lock.
    private func store(_ draft: Draft, in roomID: UUID, by userID: UUID) async throws -> (Message, UserSummary?) {
        let attachments = try await claim(draft.attachmentIDs, for: userID)
        let rendered = try await ContentRendering.render(draft.content)
        let mentions = Mentions(rendered)
        async let mentioned = env.users.directory.users(named: mentions.usernames)
        async let sender = env.users.user(userID)
        let (mentionedUsers, senderSummary) = try await (mentioned, sender)
        let mentionIDs = mentions.usernames.compactMap { mentionedUsers[$0]?.id }

        let stored: Message = try await env.outbox.transaction { tx in
            // Every change to a room's messages takes the room's lock first (one lock order, so
            // no deadlocks). Sends take turns from here to commit, in every instance, and each
            // id comes after the room's newest: ids (and so `after=` pages) follow commit order,
            // and a reader never skips a message committed late.
            try await tx.lock(stream: roomID.apiString)
            let now = env.clock.now()
            var parentSenderID: UUID?
            var rootID: UUID?
            if let parentID = draft.parentID {
                guard let parent = try await env.messages.find(id: parentID, on: tx.connection), parent.roomID == roomID else {
                    throw AppError.validation(field: "parent_id", "parent_id is not a message of this room")
                }
                // Threads are one level deep: a reply to a reply joins its root's thread.
                rootID = parent.parentID ?? parent.id
                parentSenderID = parent.senderID
            }
            let id = try await env.newMessageID(in: roomID, at: now, on: tx.connection)
            let message = Message(
                id: id, roomID: roomID, senderID: userID, type: Self.type(carrying: attachments), content: draft.content,
                contentHTML: rendered.html, parentID: rootID, clientID: draft.clientID, mentionIDs: mentionIDs,
                createdAt: now, editedAt: nil, deleted: false, replyCount: 0, lastReplyAt: nil, attachments: attachments)
            // A send with the same client_id came first: this one creates nothing.
            guard try await env.messages.insert(message, on: tx.connection) else { throw AlreadySent() }
            guard try await env.messages.link(attachmentsOf: message, on: tx.connection) else {
                throw AppError.validation(field: "attachment_ids", "an attachment is already part of another message")
            }
            if let rootID { try await env.messages.recordReply(to: rootID, at: now, on: tx.connection) }
            // Whoever writes has read everything up to what they wrote.
            _ = try await env.receipts.advance(room: roomID, user: userID, to: message.id, at: now, on: tx.connection)
            let response = MessageResponse(message: message, sender: senderSummary, reactions: [], readCount: 0)
            try await tx.emit(MessageEventType.messageCreated.rawValue, stream: roomID.apiString, data: MessageCreatedPayload(
                roomId: roomID.apiString, message: response, mentionIds: mentionIDs.map(\.apiString), mentionsRoom: mentions.room,
                parentSenderId: parentSenderID?.apiString))
            return message
        }
        await env.recache(new: stored, by: userID)
        if let rootID = stored.parentID { await env.recache([rootID], in: roomID) }
        return (stored, senderSummary)
    }

    /// The sender's own uploads among `ids`, from media; any other id is "not found".
    private func claim(_ ids: [UUID], for userID: UUID) async throws -> [AttachmentSummary] {
        guard !ids.isEmpty else { return [] }
        let claimed = try await media.claim(ids, for: userID)
        guard claimed.count == ids.count else { throw AppError.validation(field: "attachment_ids", "attachment not found") }
        return claimed
    }

    /// Files make a message `image` (images only) or `file`.
    private static func type(carrying attachments: [AttachmentSummary]) -> MessageType {
        if attachments.isEmpty { return .text }
        return attachments.allSatisfy(\.isImage) ? .image : .file
    }

    /// A page of the room's messages, oldest first. The newest page comes from the cache.
    func page(of roomID: UUID, for userID: UUID, _ readQuery: () throws -> MessageWindowQuery) async throws -> MessagePageResponse {
        try await env.require(.view, roomID: roomID, userID: userID)
        let query = try readQuery()
        if case .newest = query.window, let page = try await newestCached(in: roomID, limit: query.limit, viewer: userID) {
            return page
        }
        let (messages, hasMore) = try await fetchPage(.room(roomID), query.window, limit: query.limit)
        return MessagePageResponse(messages: try await env.responses(messages, viewer: userID), hasMore: hasMore)
    }

    /// The thread `messageID` belongs to (its root, or the message itself when it is one) and a
    /// page of its replies.
    func thread(of messageID: UUID, for userID: UUID, _ readQuery: () throws -> MessageWindowQuery) async throws -> ThreadResponse {
        var (root, _) = try await env.requireMessage(messageID, .view, userID: userID)
        let query = try readQuery()
        if let rootID = root.parentID, let actualRoot = try await env.messages.find(id: rootID, on: env.db) { root = actualRoot }
        let (replies, hasMore) = try await fetchPage(.thread(root: root.id), query.window, limit: query.limit)
        let responses = try await env.responses([root] + replies, viewer: userID)
        return ThreadResponse(root: responses[0], messages: Array(responses.dropFirst()), hasMore: hasMore)
    }

    /// The newest page from the room's cached messages, filled from Postgres when the room is not
    /// cached; nil when the cache cannot answer (it holds fewer than asked, or Redis fails).
    private func newestCached(in roomID: UUID, limit: Int, viewer: UUID) async throws -> MessagePageResponse? {
        let snapshot: RecentMessagesCache.Snapshot
        do {
            if let cached = try await env.recent.snapshot(of: roomID) {
                snapshot = cached
            } else {
                let generation = try await env.recent.generation(of: roomID)
                let fetched = try await env.messages.page(.room(roomID), .newest, limit: RecentMessagesCache.size + 1, on: env.db)
                let kept = Array(fetched.suffix(RecentMessagesCache.size))
                let reactions = try await env.reactions.reactions(of: kept.map(\.id), on: env.db)
                snapshot = RecentMessagesCache.Snapshot(
                    entries: kept.map { RecentMessagesCache.Entry(message: $0, reactions: reactions[$0.id] ?? []) },
                    complete: fetched.count <= RecentMessagesCache.size,
                    positions: try await env.receipts.positions(in: [roomID], on: env.db)[roomID] ?? [:])
                try await env.recent.fill(roomID, generation: generation, snapshot: snapshot)
            }
        } catch {
            env.logger.warning("recent-messages cache unavailable; reading Postgres", metadata: ["error": "\(error)"])
            return nil
        }
        guard snapshot.entries.count >= limit || snapshot.complete else { return nil }
        let shown = Array(snapshot.entries.suffix(limit))
        return MessagePageResponse(
            messages: try await env.responses(shown, positions: [roomID: snapshot.positions], viewer: viewer),
            hasMore: snapshot.entries.count > limit || !snapshot.complete)
    }

    /// One past the limit is fetched to learn whether more lie beyond the page.
    private func fetchPage(_ scope: MessageStore.Scope, _ window: MessageStore.Window, limit: Int) async throws -> ([Message], Bool) {
        let fetched = try await env.messages.page(scope, window, limit: limit + 1, on: env.db)
        guard fetched.count > limit else { return (fetched, false) }
        // Oldest first: the extra one is the oldest when paging back, the newest when paging on.
        if case .after = window { return (Array(fetched.prefix(limit)), true) }
        return (Array(fetched.suffix(limit)), true)
    }

    /// The sender changes the content (`readContent`) within the edit window; mentions are
    /// resolved again. An edit uses a slot of the send budget, given back if the edit then fails.
    func edit(_ messageID: UUID, by userID: UUID, _ readContent: () async throws -> String) async throws -> MessageResponse {
        let (message, _) = try await env.requireMessage(messageID, .post, userID: userID)
        guard message.senderID == userID else { throw AppError.forbidden("only its sender can edit a message") }
        guard message.type != .game else { throw AppError.forbidden("a game invitation cannot be edited", code: "not_editable") }
        guard !message.deleted else { throw AppError.notFound("message not found") }
        guard env.clock.now().timeIntervalSince(message.createdAt) <= editWindow else {
            throw AppError.forbidden("messages can only be edited within \(Int(editWindow)) seconds of sending", code: "edit_window_closed")
        }
        let content = try await readContent()
        let edited = try await sendLimiter.counting(userID.apiString, now: env.clock.now()) {
            try await store(content, replacing: message)
        }
        await env.recache([messageID], in: edited.roomID)
        return try await env.response(edited, viewer: userID)
    }

    /// Writes the new content with its event. The content is rendered before the transaction,
    /// which holds the room's lock.
    private func store(_ content: String, replacing message: Message) async throws -> Message {
        let rendered = try await ContentRendering.render(content)
        let mentions = Mentions(rendered)
        let mentioned = try await env.users.directory.users(named: mentions.usernames)
        let mentionIDs = mentions.usernames.compactMap { mentioned[$0]?.id }
        return try await env.outbox.transaction { tx in
            try await tx.lock(stream: message.roomID.apiString)
            guard var current = try await env.messages.lock(id: message.id, on: tx.connection), !current.deleted else {
                throw AppError.notFound("message not found")
            }
            let added = mentionIDs.filter { !current.mentionIDs.contains($0) }
            current.content = content
            current.contentHTML = rendered.html
            current.mentionIDs = mentionIDs
            current.editedAt = env.clock.now()
            try await env.messages.update(
                content: current.content, html: current.contentHTML, mentionIDs: mentionIDs, editedAt: current.editedAt!, of: message.id,
                on: tx.connection)
            let response = try await env.responses([current], viewer: nil, on: tx.connection)[0]
            try await tx.emit(MessageEventType.messageUpdated.rawValue, stream: current.roomID.apiString, data: MessageUpdatedPayload(
                roomId: current.roomID.apiString, message: response, addedMentionIds: added.map(\.apiString)))
            return current
        }
    }

    /// Soft delete by its sender or a room admin: the message keeps its place (and its replies)
    /// with its content replaced; its reactions and pin go. Deleting it again changes nothing.
    func delete(_ messageID: UUID, by userID: UUID) async throws {
        let (message, access) = try await env.requireMessage(messageID, .view, userID: userID)
        guard message.senderID == userID || access.allows(.deleteAnyMessage) else {
            throw AppError.forbidden("only its sender or a room admin can delete a message")
        }
        guard !message.deleted else { return }
        try await env.outbox.transaction { tx in
            try await tx.lock(stream: message.roomID.apiString)
            guard let current = try await env.messages.lock(id: messageID, on: tx.connection), !current.deleted else { return }
            let attachmentIDs = try await env.messages.markDeleted(messageID, on: tx.connection)
            try await env.reactions.removeAll(message: messageID, on: tx.connection)
            let stream = current.roomID.apiString
            if try await env.pins.unpin(messageID, in: current.roomID, on: tx.connection) {
                try await tx.emit(MessageEventType.messageUnpinned.rawValue, stream: stream, data: MessageUnpinnedPayload(
                    roomId: stream, messageId: messageID.apiString, unpinnedBy: userID.apiString))
            }
            try await tx.emit(MessageEventType.messageDeleted.rawValue, stream: stream, data: MessageDeletedPayload(
                roomId: stream, messageId: messageID.apiString, deletedBy: userID.apiString, attachmentIds: attachmentIDs.map(\.apiString)))
        }
        await env.recache([messageID], in: message.roomID)
    }
}
