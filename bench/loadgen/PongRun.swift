import AsyncHTTPClient
import Foundation
import Synchronization

/// One Pong player's inputs as sent, and the frames that echoed them: `pong_state` carries the
/// `seq` of each side's latest input the server applied.
struct PongEchoes: Sendable {
    let side: String
    /// Sent at, by sequence number, until echoed.
    var waiting: [Int: Int64] = [:]
    var echoed = 0
    /// Inputs timed (sent), and the times of those echoed.
    var timed = 0
    var latencies: [Int64] = []
    var frames = 0

    mutating func sent(_ sequence: Int, atMicros: Int64) {
        waiting[sequence] = atMicros
        timed += 1
    }

    /// Reads this side's `"seq":N` in the frame's `inputs` (a text search: parsing 10,000
    /// frames a second would load this process more than the stack).
    mutating func frame(_ text: String, nowMicros: Int64) {
        frames += 1
        guard let inputs = text.range(of: #""inputs":{"#),
            let mine = text.range(of: "\"\(side)\":{", range: inputs.upperBound..<text.endIndex),
            let seqKey = text.range(of: #""seq":"#, range: mine.upperBound..<text.endIndex)
        else { return }
        let digits = text[seqKey.upperBound...].prefix { $0.isNumber }
        guard let sequence = Int(digits), sequence > echoed else { return }
        echoed = sequence
        if let sentAt = waiting.removeValue(forKey: sequence) { latencies.append(nowMicros - sentAt) }
        waiting = waiting.filter { $0.key > sequence }
    }
}

/// `--mode pong`: user i invites user i + M in room i (M rooms), who accepts; both play for the
/// run's duration, each changing direction every 0.2 to 1 s and repeating its input every second
/// as the web app does. Reports input-to-echo times, frames, the tick schedule from games'
/// `/metrics` and games' CPU per tick per match.
func runPong(
    api: GatewayAPI, http: HTTPClient, users: [(id: String, token: String)], rooms: [String], connections: [LoadConnection], duration: Double
) async throws {
    let matchCount = rooms.count
    guard users.count == 2 * matchCount, connections.count == users.count else { throw LoadError("--mode pong needs --users 2M --rooms M") }
    var matches: [String] = []
    for room in 0..<matchCount {
        let (invited, invitation) = try await api.call(
            .POST, "/rooms/\(rooms[room])/games", body: ["game": "pong", "invitee_id": users[room + matchCount].id], token: users[room].token)
        guard invited == 201, let id = invitation["id"] as? String else { throw LoadError("invite: \(invited) \(invitation)") }
        let (accepted, reply) = try await api.call(.POST, "/games/invitations/\(id)/accept", token: users[room + matchCount].token)
        guard accepted == 200, let match = (reply["match"] as? [String: Any])?["id"] as? String else { throw LoadError("accept: \(accepted) \(reply)") }
        matches.append(match)
    }
    for (index, connection) in connections.enumerated() { connection.pongEchoes.withLock { $0 = PongEchoes(side: index < matchCount ? "left" : "right") } }
    let metricsBefore = try await gamesTicks(http)
    let cpuBefore = StackCPU.snapshot()
    let started = Date()
    await withTaskGroup(of: Void.self) { group in
        for (index, connection) in connections.enumerated() {
            let match = matches[index % matchCount]
            group.addTask {
                var sequence = 0
                var timed = -1
                var direction = "none"
                var lastSent = Date.distantPast
                // Players start at different moments, as people do, not all within a millisecond.
                var nextChange = Date().addingTimeInterval(Double.random(in: 0...1))
                try? await Task.sleep(for: .seconds(nextChange.timeIntervalSinceNow))
                while Date().timeIntervalSince(started) < duration {
                    let now = Date()
                    if now >= nextChange {
                        direction = ["up", "down", "none"].filter { $0 != direction }.randomElement()!
                        sequence += 1
                        nextChange = now.addingTimeInterval(Double.random(in: 0.2...1.0))
                    } else if now.timeIntervalSince(lastSent) < 1 {
                        try? await Task.sleep(for: .milliseconds(20))
                        continue
                    }
                    let sentAt = Marker.nowMicros
                    let number = sequence
                    // A repeat (the same input a second later) is not timed: it changes nothing to echo.
                    if number != timed {
                        connection.pongEchoes.withLock { $0?.sent(number, atMicros: sentAt) }
                        timed = number
                    }
                    connection.send(#"{"type":"pong_input","data":{"match_id":"\#(match)","direction":"\#(direction)","seq":\#(number)}}"#)
                    lastSent = now
                }
            }
        }
    }
    let elapsed = Date().timeIntervalSince(started)
    let used = StackCPU.used(from: cpuBefore, to: StackCPU.snapshot())
    let metricsAfter = try await gamesTicks(http)
    try await Task.sleep(for: .milliseconds(500))

    let echoes = connections.compactMap { $0.pongEchoes.withLock { $0 } }
    let latencies = echoes.flatMap(\.latencies).sorted()
    let sentInputs = echoes.reduce(0) { $0 + $1.timed }
    func ms(_ p: Double) -> String {
        guard !latencies.isEmpty else { return "-" }
        return String(format: "%.1f ms", Double(latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]) / 1000)
    }
    let ticks = metricsAfter.ticks - metricsBefore.ticks
    let late = metricsAfter.late - metricsBefore.late
    print("pong: \(matchCount) matches, \(connections.count) players for \(String(format: "%.0f", elapsed)) s")
    print("input to echoing frame: \(latencies.count) of \(sentInputs) inputs echoed; p50 \(ms(0.5)), p99 \(ms(0.99)), max \(ms(1.0))")
    print(String(format: "state frames per player: %.1f a second", Double(echoes.reduce(0) { $0 + $1.frames }) / Double(max(1, echoes.count)) / elapsed))
    print(String(format: "ticks: %.0f (%.1f a second per match), %.0f more than 5 ms late (%.2f %%)", ticks, ticks / elapsed / Double(matchCount), late, ticks > 0 ? 100 * late / ticks : 0))
    let games = used["games"] ?? 0
    print(String(format: "games CPU: %.0f%% of one core, %.1f µs per tick per match", 100 * games / elapsed, ticks > 0 ? games / ticks * 1_000_000 : 0))
    StackCPU.report(used, per: Int(ticks), unit: "tick")
    var statuses: [String: Int] = [:]
    for (room, match) in matches.enumerated() {
        let (_, state) = try await api.call(.GET, "/games/matches/\(match)", token: users[room].token)
        statuses[state["status"] as? String ?? "unreadable", default: 0] += 1
    }
    print("matches at the end: " + statuses.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }.joined(separator: ", "))
}

/// Games' tick counters from its `/metrics` (`games_ticks_total`, `games_ticks_late_total`).
private func gamesTicks(_ http: HTTPClient) async throws -> (ticks: Double, late: Double) {
    let url = ProcessInfo.processInfo.environment["GAMES_METRICS_URL"] ?? "http://127.0.0.1:8088/metrics"
    let reply = try await http.execute(HTTPClientRequest(url: url), timeout: .seconds(10))
    let text = String(buffer: try await reply.body.collect(upTo: 1 << 22))
    func value(_ name: String) -> Double {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Double($0.split(separator: " ").last ?? "") } ?? 0
    }
    return (value("games_ticks_total"), value("games_ticks_late_total"))
}
