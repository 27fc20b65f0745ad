import AuthAPI
import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import RoomsAPI
import ServiceKit

/// `/ws`: the token is checked and the socket counted against its user's quota before the upgrade
/// (401 or 429 and no socket otherwise), then the client gets `ready`, every frame it sends is
/// answered (malformed ones with an `error` frame, those over its rate with `rate_limited`), and
/// the events of its rooms arrive as they happen. Heartbeats are the server's WebSocket pings
/// (`autoPing`): a peer that stops answering is closed.
struct WebSocketEndpoint: Sendable {
    typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    let verifier: TokenVerifier
    let currentUsers: any CurrentUserLookup
    let rooms: any RoomDirectory
    let registry: ConnectionRegistry
    let commands: ClientCommands
    let quota: SocketQuota
    let sessions: SessionGuard
    /// Whose `X-Forwarded-For` is believed when resolving the client's address.
    let trustedProxies: TrustedProxies
    static let path = "/ws"
    static let maxMessageBytes = 64 * 1024
    /// Frames waiting for a slow client; past this the client is disconnected (it can resume).
    let maxQueuedFrames: Int
    /// Each socket's frame budget (`FrameBudget`).
    let frameRate: Double
    let frameBurst: Int
    let clock: WallClock

    /// The token from `?token=` or `Authorization: Bearer`.
    static func token(target: String, headers: HTTPFields) -> String? {
        URLComponents(string: target)?.queryItems?.first(where: { $0.name == "token" })?.value ?? headers.bearerToken
    }

    /// Decides an upgrade request. Hummingbird answers every refused upgrade with a bare 400, so a
    /// refusal writes the API.md error itself and closes the connection before declining.
    func shouldUpgrade(_ head: HTTPRequest, channel: any Channel, logger: Logger) async -> ShouldUpgradeResult<Handler> {
        let target = head.path ?? ""
        guard URLComponents(string: target)?.path == Self.path else {
            await Self.refuse(channel: channel, with: .notFound())
            return .dontUpgrade
        }
        guard let token = Self.token(target: target, headers: head.headerFields) else {
            await Self.refuse(channel: channel, with: .unauthorized("missing token"))
            return .dontUpgrade
        }
        let identity: Identity
        let socketID = UUID().apiString
        do {
            identity = try await verifier.verify(token)
            try await quota.admit(user: identity.userID, socket: socketID)
        } catch {
            await Self.refuse(channel: channel, with: error as? AppError ?? .internal("\(error)"))
            return .dontUpgrade
        }
        let clientAddress = trustedProxies.clientAddress(
            peer: channel.remoteAddress?.ipAddress, forwardedFor: head.headerFields[values: .xForwardedFor])
        let queue = OutboundQueue(capacity: maxQueuedFrames, sink: ChannelFrameSink(channel: channel))
        return .upgrade([:]) { inbound, outbound, context in
            try await serve(
                inbound: inbound, outbound: outbound, queue: queue, socketID: socketID, token: token, identity: identity,
                clientAddress: clientAddress, logger: context.logger)
        }
    }

    /// A plain GET of `/ws` (no upgrade headers) is told to upgrade, or 401 when its token is bad.
    func addHTTPRoute(to router: Router<GatewayRequestContext>) {
        router.get(RouterPath(stringLiteral: Self.path)) { request, _ -> Response in
            guard let token = Self.token(target: request.uri.string, headers: request.headers) else {
                throw AppError.unauthorized("missing token")
            }
            _ = try await verifier.verify(token)
            throw AppError(.upgradeRequired, code: "upgrade_required", message: "connect with a WebSocket upgrade")
        }
    }

    private static func refuse(channel: any Channel, with error: AppError) async {
        let parts = RawErrorResponse.parts(for: error)
        for part in parts.dropLast() { channel.write(part, promise: nil) }
        try? await channel.writeAndFlush(parts[parts.count - 1])
        try? await channel.close()
    }

    /// The user and their rooms: the session's rooms registered, its first frame `ready`, and
    /// its presence announced.
    private func load(_ session: SessionHandle, token: String) async throws {
        let user = try await currentUsers.currentUser(token: token)
        let roomIDs = try await rooms.roomIDs(of: session.userID)
        await registry.roomsLoaded(roomIDs, for: session.id)
        session.outbound.open(leadingWith: ServerFrame.ready(user: user, sessionID: session.id).text())
        if case .object(let fields) = user, case .string(let status)? = fields["status"] {
            await commands.presence.connected(user: session.userID, session: session.id, chosenStatus: status, rooms: roomIDs)
        }
    }

    private func serve(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, queue: OutboundQueue, socketID: String, token: String,
        identity: Identity, clientAddress: String?, logger: Logger
    ) async throws {
        let session = SessionHandle(
            id: socketID, userID: identity.userID, loginSessionID: identity.sessionID, expiresAt: identity.expiresAt, outbound: queue)
        let commandSession = ClientCommands.Session(
            id: session.id, userID: identity.userID, token: token, clientAddress: clientAddress, outbound: queue)
        // Registered before the room list loads, so no membership change in between is missed.
        await registry.register(session)
        defer {
            Task {
                await commands.sessionClosed(commandSession)
                await quota.release(user: identity.userID, socket: socketID)
            }
        }
        // A revocation published between the token check and the registration reached no socket.
        await sessions.endRevoked(among: [identity.sessionID])
        do {
            try await inTaskOfItsOwn { try await load(session, token: token) }
        } catch {
            logger.warning("closing WebSocket: could not load the session", metadata: ["error": "\(error)"])
            queue.finish()
            try await Self.refuseSession(outbound)
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await queue.ended() }
            group.addTask {
                var budget = FrameBudget(rate: frameRate, burst: frameBurst, now: clock.now())
                // One frame at a time: a client's sends are stored in the order it sent them.
                for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                    // A session that ended (or a client cut off) is not listened to any more.
                    guard queue.closing == nil else { return }
                    switch (budget.spend(at: clock.now()), message) {
                    case (.handle, .text(let text)):
                        if let reply = try await inTaskOfItsOwn({ await commands.answer(text, from: commandSession) }) {
                            queue.send(reply.text())
                        }
                    case (.handle, .binary):
                        queue.send(ServerFrame.error(code: "bad_request", message: "frames must be JSON text", ref: nil).text())
                    case (.refuse, .text(let text)):
                        queue.send(ClientCommands.refused(text).text())
                    case (.refuse, .binary):
                        queue.send(ClientCommands.refused(nil).text())
                    case (.flooding, _):
                        queue.end(.flooding)
                        return
                    }
                }
            }
            // Whichever ends first (the client left, or the queue ended) ends the other.
            try await group.next()
            group.cancelAll()
            queue.finish()
        }
        // The server's reason to close, if it had one (too slow, flooding, session ended).
        if let closing = queue.closing { try await Self.close(outbound, closing) }
    }

    // Never inlined: an inlined function's frame becomes part of its caller's, which the socket's
    // task keeps all its life; these two run once, at the end.
    @inline(never)
    private static func close(_ outbound: WebSocketOutboundWriter, _ closing: SocketClosing) async throws {
        try await outbound.close(closing.code, reason: closing.reason)
    }

    @inline(never)
    private static func refuseSession(_ outbound: WebSocketOutboundWriter) async throws {
        try await outbound.write(.text(ServerFrame.error(code: "service_unavailable", message: "the session could not be loaded", ref: nil).text()))
        try await outbound.close(.unexpectedServerError, reason: "session unavailable")
    }
}

/// Runs `body` in a child task of its own and returns its result. A task keeps the memory its
/// deepest call needed until it ends, and a call to another service needs tens of kilobytes: a
/// socket's tasks, open for hours, make such calls in tasks that end with them.
func inTaskOfItsOwn<T: Sendable>(_ body: @escaping @Sendable () async throws -> T) async throws -> T {
    try await withThrowingTaskGroup(of: T.self) { group in
        group.addTask(operation: body)
        return try await group.next()!
    }
}
