import CallsAPI
import Foundation
import Hummingbird
import ServiceKit

/// The calls API (services/calls/openapi.yaml): a room's call under `/rooms/:id/calls`, a call by
/// its id under `/calls`, and TURN credentials. The gateway turns the socket's call frames into
/// these requests, adding `session_id` (the socket's session) where a call is joined.
struct CallRoutes {
    let calls: Calls
    let turn: TurnSettings
    let clock: WallClock

    struct StartRequest: Decodable {
        let kind: String
        let sessionId: String?
    }

    struct AcceptRequest: Decodable {
        let sessionId: String?
    }

    struct SignalRequest: Decodable {
        let type: String
        let toUserId: UUID?
        let data: JSONValue
    }

    struct LiveCall: ResponseEncodable {
        let call: Call?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(call, forKey: .call)
        }

        enum CodingKeys: String, CodingKey { case call }
    }

    struct Relayed: ResponseEncodable {
        let relayed = true
    }

    func add(to group: RouterGroup<ServiceRequestContext>) {
        group.post("/rooms/:id/calls") { request, context -> Response in
            let body = try await request.decode(as: StartRequest.self, context: context)
            let call = try await calls.start(
                in: try context.parameters.requireID("id"), kind: body.kind, by: try context.requireIdentity().userID, session: body.sessionId)
            return try APIResponseEncoder.response(call, status: .created)
        }
        group.get("/rooms/:id/calls") { _, context -> LiveCall in
            LiveCall(call: try await calls.liveCall(in: try context.parameters.requireID("id"), viewer: try context.requireIdentity().userID))
        }
        group.get("/calls/turn-credentials") { _, context -> TurnCredentials in
            guard !turn.secret.isEmpty else { throw AppError.serviceUnavailable("turn", internalDetail: "TURN_SECRET is not set") }
            return TurnCredentials(user: try context.requireIdentity().userID, secret: turn.secret, uris: turn.uris, ttlSeconds: turn.ttlSeconds, now: clock.now())
        }
        group.get("/calls/:id") { _, context -> Call in
            try await calls.call(try context.parameters.requireID("id"), viewer: try context.requireIdentity().userID)
        }
        group.post("/calls/:id/accept") { request, context -> Call in
            let body = try await request.decodeIfPresent(as: AcceptRequest.self, context: context)
            return try await calls.accept(try context.parameters.requireID("id"), by: try context.requireIdentity().userID, session: body?.sessionId)
        }
        group.post("/calls/:id/decline") { _, context -> Call in
            try await calls.decline(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
        }
        group.post("/calls/:id/leave") { _, context -> Call in
            try await calls.leave(try context.parameters.requireID("id"), by: try context.requireIdentity().userID)
        }
        group.post("/calls/:id/signal") { request, context -> Relayed in
            let body = try await request.decode(as: SignalRequest.self, context: context)
            try await calls.signal(
                body.type, data: body.data, to: body.toUserId, in: try context.parameters.requireID("id"), from: try context.requireIdentity().userID)
            return Relayed()
        }
    }
}

extension Call: ResponseEncodable {}
extension TurnCredentials: ResponseEncodable {}
