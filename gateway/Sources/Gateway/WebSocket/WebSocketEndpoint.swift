import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import NIOHTTP1
import RoomsAPI
import ServiceKit

/// `/ws`: the token is checked before the upgrade (401 and no socket otherwise), then the client
/// gets `ready`, every frame it sends is answered (malformed ones with an `error` frame), and the
/// events of its rooms arrive as they happen. Heartbeats are the server's WebSocket pings
/// (`autoPing`): a peer that stops answering is closed.
struct WebSocketEndpoint: Sendable {
    typealias Handler = WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>

    let verifier: TokenVerifier
    let authClient: AuthClient
    let rooms: RoomDirectory
    let registry: ConnectionRegistry
    let commands: ClientCommands
    static let path = "/ws"
    static let maxMessageBytes = 64 * 1024
    /// Frames waiting for a slow client; past this the client is disconnected (it can resume).
    let maxQueuedFrames: Int

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
        do {
            identity = try await verifier.verify(token)
        } catch {
            await Self.refuse(channel: channel, with: error as? AppError ?? .internal("\(error)"))
            return .dontUpgrade
        }
        return .upgrade([:]) { inbound, outbound, context in
            try await serve(inbound: inbound, outbound: outbound, token: token, identity: identity, logger: context.logger)
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
        let body = (try? JSONEncoder().encode(error.body)) ?? Data()
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        headers.add(name: "Content-Length", value: String(body.count))
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: .http1_1, status: .init(statusCode: error.status.code), headers: headers)
        channel.write(HTTPServerResponsePart.head(head), promise: nil)
        channel.write(HTTPServerResponsePart.body(.byteBuffer(ByteBuffer(data: body))), promise: nil)
        try? await channel.writeAndFlush(HTTPServerResponsePart.end(nil))
        try? await channel.close()
    }

    private func serve(
        inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, token: String, identity: Identity, logger: Logger
    ) async throws {
        let queue = OutboundQueue(capacity: maxQueuedFrames)
        let session = SessionHandle(id: UUID().apiString, userID: identity.userID, outbound: queue)
        let commandSession = ClientCommands.Session(id: session.id, userID: identity.userID, token: token, outbound: queue)
        // Registered before the room list loads, so no membership change in between is missed.
        await registry.register(session)
        defer { Task { await commands.sessionClosed(commandSession) } }
        do {
            let user = try await authClient.currentUser(token: token)
            let roomIDs = try await rooms.roomIDs(of: identity.userID)
            await registry.roomsLoaded(roomIDs, for: session.id)
            try await outbound.write(.text(ServerFrame.ready(user: user, sessionID: session.id).text()))
            if case .object(let fields) = user, case .string(let status)? = fields["status"] {
                await commands.presence.connected(user: identity.userID, session: session.id, chosenStatus: status, rooms: roomIDs)
            }
        } catch {
            logger.warning("closing WebSocket: could not load the session", metadata: ["error": "\(error)"])
            try await outbound.write(.text(ServerFrame.error(code: "service_unavailable", message: "the session could not be loaded", ref: nil).text()))
            try await outbound.close(.unexpectedServerError, reason: "session unavailable")
            return
        }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                for await text in queue.frames {
                    if queue.hasOverflowed { break }
                    try await outbound.write(.text(text))
                }
                if queue.hasOverflowed { try await outbound.close(.policyViolation, reason: "too slow") }
            }
            group.addTask {
                // One frame at a time: a client's sends are stored in the order it sent them.
                for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
                    let reply: ServerFrame? = switch message {
                    case .text(let text): await commands.answer(text, from: commandSession)
                    case .binary: .error(code: "bad_request", message: "frames must be JSON text", ref: nil)
                    }
                    if let reply { queue.send(reply.text()) }
                }
            }
            // Whichever ends first (the client left, or the queue overflowed) ends the other.
            try await group.next()
            group.cancelAll()
            queue.finish()
        }
    }
}
