import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import ServiceKit

/// `/ws`: the token is checked before the upgrade (401 and no socket otherwise), then the client
/// gets `ready` and every frame it sends is answered; malformed ones with an `error` frame.
/// Heartbeats are the server's WebSocket pings (`autoPing`): a peer that stops answering is closed.
struct WebSocketEndpoint {
    let verifier: TokenVerifier
    let authClient: AuthClient
    static let maxMessageBytes = 64 * 1024

    /// The token from `?token=` or `Authorization: Bearer`.
    static func token(of request: Request) -> String? {
        request.uri.queryParameters["token"].map(String.init) ?? request.bearerToken
    }

    /// Routes for the upgrade router (`/ws` upgrades) and for the plain HTTP router, where a GET
    /// of `/ws` without an upgrade is told to upgrade, or 401 when its token is bad.
    func add(upgradeRouter: Router<GatewayRequestContext>, httpRouter: Router<GatewayRequestContext>) {
        upgradeRouter.ws("/ws", shouldUpgrade: { request, _ in
            _ = try await authenticate(request)
            return .upgrade([:])
        }, onUpgrade: { inbound, outbound, context in
            try await serve(inbound: inbound, outbound: outbound, request: context.request, logger: context.logger)
        })
        httpRouter.get("/ws") { request, _ -> Response in
            _ = try await authenticate(request)
            throw AppError(.upgradeRequired, code: "upgrade_required", message: "connect with a WebSocket upgrade")
        }
    }

    private func authenticate(_ request: Request) async throws -> Identity {
        guard let token = Self.token(of: request) else { throw AppError.unauthorized("missing token") }
        return try await verifier.verify(token)
    }

    private func serve(inbound: WebSocketInboundStream, outbound: WebSocketOutboundWriter, request: Request, logger: Logger) async throws {
        guard let token = Self.token(of: request) else { return }
        let sessionID = UUID().uuidString.lowercased()
        do {
            let user = try await authClient.currentUser(token: token)
            try await outbound.write(.text(ServerFrame.ready(user: user, sessionID: sessionID).text()))
        } catch {
            logger.warning("closing WebSocket: could not load the user", metadata: ["error": "\(error)"])
            try await outbound.write(.text(ServerFrame.error(code: "service_unavailable", message: "auth is unavailable", ref: nil).text()))
            try await outbound.close(.unexpectedServerError, reason: "auth unavailable")
            return
        }
        for try await message in inbound.messages(maxSize: Self.maxMessageBytes) {
            let reply: ServerFrame
            switch message {
            case .text(let text):
                reply = Self.answer(text)
            case .binary:
                reply = .error(code: "bad_request", message: "frames must be JSON text", ref: nil)
            }
            try await outbound.write(.text(reply.text()))
        }
    }

    /// The reply to one client frame. Room events (join_room, send_message, ...) arrive with the
    /// messages service; until then their types are unknown here.
    static func answer(_ text: String) -> ServerFrame {
        guard let frame = try? JSONDecoder().decode(ClientFrame.self, from: Data(text.utf8)) else {
            return .error(code: "bad_request", message: "frame must be a JSON object with a string \"type\"", ref: nil)
        }
        switch frame.type {
        case "ping":
            return .pong(ref: frame.ref)
        default:
            return .error(code: "unknown_type", message: "unknown frame type \"\(frame.type.prefix(40))\"", ref: frame.ref)
        }
    }
}
