import Foundation

/// `--mode mention`: the owner of the room (user 0) sends one `@room`, which notifies every
/// other member. Reports how long until every other member's sessions had the `notification`
/// frame (and its median), then how many members have it stored (`GET /notifications`).
func runRoomMention(api: GatewayAPI, users: [(id: String, token: String)], room: String, connections: [LoadConnection]) async throws {
    let recipients = connections.indices.filter { $0 % users.count != 0 }
    // The joins' own events (each member's `user_joined` and "joined" message, to every session
    // already in the room: about a million frames for 1,000 members) are still draining: time
    // the @room alone, once no session has had a frame for two seconds.
    let settling = Date()
    while Date().timeIntervalSince(settling) < 300,
          Marker.nowMicros - (connections.map { $0.lastFrameMicros.load(ordering: .relaxed) }.max() ?? 0) < 2_000_000 {
        try await Task.sleep(for: .milliseconds(200))
    }
    print(String(format: "the joins' events settled %.1f s after the last connection opened", Date().timeIntervalSince(settling)))
    let content = "@room standup \(UUID().uuidString.prefix(8))"
    let started = Marker.nowMicros
    guard let messageID = try await api.post(content, to: room, token: users[0].token) else { throw LoadError("the @room message was refused") }
    let answered = Marker.nowMicros
    let deadline = Date().addingTimeInterval(30)
    while Date() < deadline, recipients.contains(where: { connections[$0].firstNotificationMicros.load(ordering: .relaxed) == 0 }) {
        try await Task.sleep(for: .milliseconds(5))
    }
    let arrivals = recipients.map { connections[$0].firstNotificationMicros.load(ordering: .relaxed) }.filter { $0 > 0 }.map { $0 - started }.sorted()
    let frames = recipients.reduce(0) { $0 + connections[$1].notificationFrames.load(ordering: .relaxed) }
    func ms(_ micros: Int64?) -> String { micros.map { String(format: "%.1f ms", Double($0) / 1000) } ?? "-" }
    print("@room to \(users.count - 1) members (\(recipients.count) connections): POST answered in \(ms(answered - started))")
    print("notification frames: \(frames) on \(arrivals.count) of \(recipients.count) connections; " +
          "after the send: first \(ms(arrivals.first)), median \(ms(arrivals.isEmpty ? nil : arrivals[arrivals.count / 2])), last \(ms(arrivals.last))")

    let stored = Counter()
    try await forEach(Array(users.dropFirst()), width: 32) { user in
        let (status, json) = try await api.call(.GET, "/notifications?limit=1", token: user.token)
        let newest = (json["notifications"] as? [[String: Any]])?.first
        if status == 200, newest?["message_id"] as? String == messageID, newest?["type"] as? String == "mention" { await stored.add() }
    }
    print("members with the mention stored: \(await stored.value) of \(users.count - 1)")
}

private actor Counter {
    private(set) var value = 0
    func add() { value += 1 }
}
