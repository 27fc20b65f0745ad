import AuthService
import CallsService
import Foundation
import GamesService
import Gateway
import MediaService
import HummingbirdTesting
import MessagesService
import NotifyService
import RoomsService
import SearchService
import ServiceKit
import TestSupport

/// What a test of the whole stack gets: a client of the gateway and its port (for WebSockets).
public struct Stack: Sendable {
    public let gateway: any TestClientProtocol
    public let gatewayPort: Int
    /// The gateway's internal listener: its event intake, `/metrics` and `/health/ready`.
    public let gatewayInternalPort: Int
    /// With `secondGateway`: another gateway instance on the same Redis, which services do not
    /// send events to (it gets them over the backplane, as behind a load balancer).
    public var secondGatewayPort: Int? = nil
    /// Media's folder: `objects/` holds the stored files, `spool/` uploads being received.
    public var mediaFolder: String? = nil
    /// Each service's base URL (`auth`, `rooms`, `messages`, `media`, `search`, `notify`, `games`, `calls`), for calls to `/internal/*`.
    public var serviceURLs: [String: String] = [:]
    /// The settings every service of the stack shares (its database, Redis, the services' URLs),
    /// for a test that starts one more of them.
    public var sharedSettings: [String: String] = [:]
}

/// Runs `body` with live auth, rooms, messages, media, search, notify, games and calls services
/// and a live gateway in front of them, wired as `compose/up` wires them: auth's events go to the
/// gateway and notify, rooms' to the gateway, messages and notify, messages' to the gateway, rooms,
/// media, search and notify, notify's to the gateway, games' and calls' to the gateway and messages. Media stores files in a temporary folder and scans
/// them with the test clamd. `roomsSettings`, `messagesSettings`, `mediaSettings` and
/// `notifySettings` override those services' configuration (a rate limit, clamd's port, where
/// rooms' events go), `messagesClock`, `mediaClock`, `notifyClock`, `gamesClock`, `callsClock` and `gatewayClock` their clocks (both
/// gateways share theirs). With `redisCluster` every service uses the test's three-node Redis
/// Cluster instead of the single test Redis, with `privateRedis` the Redis on that port (a test
/// that disturbs it). With `tracesTo` every service and the gateway export their spans to that
/// OTLP/HTTP endpoint in JSON, within 50 ms of their end.
public func withStack<T: Sendable>(
    gatewaySettings extra: [String: String] = [:], roomsSettings: [String: String] = [:],
    messagesSettings: [String: String] = [:], mediaSettings: [String: String] = [:], notifySettings: [String: String] = [:],
    messagesClock: WallClock = .system, mediaClock: WallClock = .system, notifyClock: WallClock = .system, gamesClock: WallClock = .system, callsClock: WallClock = .system,
    gatewayClock: WallClock = .system, secondGateway: Bool = false,
    redisCluster: Bool = false, privateRedis: Int? = nil, tracesTo: String? = nil, _ body: @escaping @Sendable (Stack) async throws -> T
) async throws -> T {
    try await withServicesGate {
        var common: [String: String] = [:]
        if redisCluster { common["REDIS_CLUSTER_NODES"] = try await TestRedisCluster.shared.nodesSetting() }
        if let privateRedis { common["REDIS_PORT"] = String(privateRedis) }
        if let tracesTo {
            common.merge(["OTEL_EXPORTER_OTLP_ENDPOINT": tracesTo, "OTEL_EXPORTER_OTLP_PROTOCOL": "http/json", "OTEL_BSP_SCHEDULE_DELAY": "50"]) { $1 }
        }
        let overrides = try await TestEnvironment.serviceOverrides(common)
        // The producers post their events to the gateway's internal port: chosen up front.
        let internalPort = try TestEnvironment.freePort()
        // Every service needs others' addresses before they start: their ports are chosen up front
        // (the gateway's is HummingbirdTesting's, so it starts first and the others after it).
        let authURL = "http://127.0.0.1:\(try TestEnvironment.freePort())"
        let roomsURL = "http://127.0.0.1:\(try TestEnvironment.freePort())"
        let messagesURL = "http://127.0.0.1:\(try TestEnvironment.freePort())"
        let mediaURL = "http://127.0.0.1:\(try TestEnvironment.freePort())"
        let searchURL = "http://127.0.0.1:\(try TestEnvironment.freePort())"
        let notifyURL = "http://127.0.0.1:\(try TestEnvironment.freePort())"
        let gamesURL = "http://127.0.0.1:\(try TestEnvironment.freePort())"
        let callsURL = "http://127.0.0.1:\(try TestEnvironment.freePort())"
        let services = [
            "AUTH_URL": authURL, "ROOMS_URL": roomsURL, "MESSAGES_URL": messagesURL, "MEDIA_URL": mediaURL, "SEARCH_URL": searchURL,
            "NOTIFY_URL": notifyURL, "GAMES_URL": gamesURL, "CALLS_URL": callsURL,
        ]
        let mediaFolder = FileManager.default.temporaryDirectory.appendingPathComponent("parley-media-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: mediaFolder) }
        let clamdPort = try await TestClamd.shared.start()
        let shared = overrides.merging(services) { $1 }
        return try await runGateway(services: services, base: overrides, extra: extra, internalPort: internalPort, clock: gatewayClock) { client in
            let gatewayURL = "http://127.0.0.1:\(internalPort)"
            // Each service is built just before it starts: one built and never run (a start above
            // it failed) would be dropped with its HTTP client still open, which traps.
            let auth = { @Sendable in
                try await AuthService.buildApplication(settings: AuthSettings(reader: TestEnvironment.reader(shared.merging([
                    "HTTP_PORT": port(of: authURL), "EVENT_SUBSCRIBERS": "gateway=\(gatewayURL),notify=\(notifyURL)",
                ]) { $1 })))
            }
            let rooms = { @Sendable in
                try await RoomsService.buildApplication(settings: RoomsSettings(reader: TestEnvironment.reader(shared.merging([
                    "HTTP_PORT": port(of: roomsURL), "EVENT_SUBSCRIBERS": "gateway=\(gatewayURL),messages=\(messagesURL),notify=\(notifyURL)",
                ]) { $1 }.merging(roomsSettings) { $1 })))
            }
            let messages = { @Sendable in
                try await MessagesService.buildApplication(
                    settings: MessagesSettings(reader: TestEnvironment.reader(shared.merging([
                        "HTTP_PORT": port(of: messagesURL), "EVENT_SUBSCRIBERS": "gateway=\(gatewayURL),rooms=\(roomsURL),media=\(mediaURL),search=\(searchURL),notify=\(notifyURL)",
                    ]) { $1 }.merging(messagesSettings) { $1 })),
                    clock: messagesClock)
            }
            let media = { @Sendable in
                try await MediaService.buildApplication(settings: MediaSettings(reader: TestEnvironment.reader(shared.merging([
                    "HTTP_PORT": port(of: mediaURL), "CLAMD_PORT": String(clamdPort),
                ]) { $1 }.merging(MediaFolder(path: mediaFolder).settings) { $1 }.merging(mediaSettings) { $1 })), clock: mediaClock)
            }
            let search = { @Sendable in
                try await SearchService.buildApplication(settings: SearchSettings(reader: TestEnvironment.reader(shared.merging([
                    "HTTP_PORT": port(of: searchURL),
                ]) { $1 })))
            }
            let notify = { @Sendable in
                try await NotifyService.buildApplication(
                    settings: NotifySettings(reader: TestEnvironment.reader(shared.merging([
                        "HTTP_PORT": port(of: notifyURL), "EVENT_SUBSCRIBERS": "gateway=\(gatewayURL)",
                    ]) { $1 }.merging(notifySettings) { $1 })),
                    clock: notifyClock)
            }
            let games = { @Sendable in
                try await GamesService.buildApplication(
                    settings: GamesSettings(reader: TestEnvironment.reader(shared.merging([
                        "HTTP_PORT": port(of: gamesURL), "EVENT_SUBSCRIBERS": "gateway=\(gatewayURL),messages=\(messagesURL)",
                    ]) { $1 })),
                    clock: gamesClock)
            }
            let calls = { @Sendable in
                try await CallsService.buildApplication(
                    settings: CallsSettings(reader: TestEnvironment.reader(shared.merging([
                        "HTTP_PORT": port(of: callsURL), "EVENT_SUBSCRIBERS": "gateway=\(gatewayURL),messages=\(messagesURL),notify=\(notifyURL)",
                        "TURN_SECRET": "parley-test-turn-secret",
                    ]) { $1 })),
                    clock: callsClock)
            }
            return try await withService(try await auth(), port: Int(port(of: authURL))!) {
                try await withService(try await rooms(), port: Int(port(of: roomsURL))!) {
                    try await withService(try await messages(), port: Int(port(of: messagesURL))!) {
                        try await withService(try await media(), port: Int(port(of: mediaURL))!) {
                            try await withService(try await search(), port: Int(port(of: searchURL))!) {
                                try await withService(try await notify(), port: Int(port(of: notifyURL))!) {
                                    try await withService(try await games(), port: Int(port(of: gamesURL))!) {
                                        try await withService(try await calls(), port: Int(port(of: callsURL))!) {
                                            let stack = Stack(
                                                gateway: client, gatewayPort: client.port!, gatewayInternalPort: internalPort, mediaFolder: mediaFolder,
                                                serviceURLs: [
                                                    "auth": authURL, "rooms": roomsURL, "messages": messagesURL, "media": mediaURL, "search": searchURL,
                                                    "notify": notifyURL, "games": gamesURL, "calls": callsURL,
                                                ],
                                                sharedSettings: shared)
                                            guard secondGateway else { return try await body(stack) }
                                            let secondInternalPort = try TestEnvironment.freePort()
                                            return try await runGateway(
                                                services: services, base: overrides, extra: extra, internalPort: secondInternalPort, clock: gatewayClock
                                            ) { second in
                                                var both = stack
                                                both.secondGatewayPort = second.port!
                                                return try await body(both)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

private func port(of url: String) -> String {
    String(url.split(separator: ":").last!)
}

private func runGateway<T: Sendable>(
    services: [String: String], base: [String: String], extra: [String: String], internalPort: Int, clock: WallClock,
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> T
) async throws -> T {
    let overrides = base.merging(services) { $1 }.merging(["CORS_ORIGINS": "https://app.example", "INTERNAL_HTTP_PORT": String(internalPort)]) { $1 }
        .merging(extra) { $1 }
    let gateway = try await Gateway.buildApplication(settings: GatewaySettings(reader: TestEnvironment.reader(overrides)), clock: clock)
    return try await gateway.test(.live) { client in try await body(client) }
}

extension TestClientProtocol {
    public func register() async throws -> (token: String, id: String, username: String) {
        let username = "gw_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased()
        let reply = try await call(.post, "/auth/register", json: ["username": username, "password": "correct horse battery"])
        guard let token = reply["token"] as? String, let id = (reply["user"] as? [String: Any])?["id"] as? String else {
            throw TestFailure("register through the gateway failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return (token, id, username)
    }

    /// Sends `content` (and `extra` keys) to the room as the token's user; returns the new message's id.
    public func sendMessage(_ content: String, in room: String, token: String, extra: [String: Any] = [:]) async throws -> String {
        let reply = try await call(.post, "/rooms/\(room)/messages", json: extra.merging(["content": content]) { $1 }, token: token)
        guard reply.status == .created, let id = reply["id"] as? String else {
            throw TestFailure("send failed: \(reply.status) \(String(decoding: reply.body, as: UTF8.self))")
        }
        return id
    }
}

/// A `RoomFixture`'s room through the whole stack: made and joined through the gateway.
extension Stack: RoomHost {
    public var messagesAPI: any TestClientProtocol { gateway }

    public func register() async throws -> TestUser { try await gateway.register() }

    public func createRoom(type: String, owner: TestUser) async throws -> String {
        let created = try await gateway.call(.post, "/rooms", json: ["name": "Room", "type": type], token: owner.token)
        guard let id = created["id"] as? String else { throw TestFailure("room creation failed: \(created.status)") }
        return id
    }

    public func add(_ member: TestUser, to room: String, by owner: TestUser) async throws {
        let added = try await gateway.call(.post, "/rooms/\(room)/members", json: ["user_id": member.id], token: owner.token)
        guard added.status == .created else { throw TestFailure("adding a member failed: \(added.status)") }
    }
}
