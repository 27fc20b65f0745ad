import AsyncHTTPClient
import Foundation
import Synchronization

// loadgen: drives the gateway as N chat users would (see Options.usage) and reports what arrived.

let options: Options
do {
    options = try Options(arguments: Array(CommandLine.arguments.dropFirst()))
} catch {
    print(error)
    exit(2)
}

var httpConfiguration = HTTPClient.Configuration(timeout: .init(connect: .seconds(10)))
// Enough connections that the REST run measures the gateway, not this client's pool.
httpConfiguration.connectionPool = .init(idleTimeout: .seconds(60), concurrentHTTP1ConnectionsPerHostSoftLimit: 128)
let http = HTTPClient(configuration: httpConfiguration)
let api = GatewayAPI(http: http, base: options.gateway)
let wsBase = options.gateway.replacingOccurrences(of: "http://", with: "ws://") + "/ws?token="
let gatewayPID = options.gatewayPID ?? ProcessSampler.pid(named: "gateway")
let sampler = gatewayPID.map { ProcessSampler(pid: $0) }
/// This process too: on the same machine, it competes with the gateway for the cores.
let selfSampler = ProcessSampler(pid: getpid())
let plannedMessages = Int(options.rate * options.duration) + 1

func log(_ text: String) {
    FileHandle.standardError.write(Data("[loadgen] \(text)\n".utf8))
}

// Set-up: users, one public room they all join, their WebSockets.
let run = UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(6).lowercased()
log("registering \(options.users) users")
let accounts = Mutex<[Int: (id: String, token: String)]>([:])
try await forEach(Array(0..<options.users), width: 16) { index in
    let account = try await api.register("lg\(run)\(index)")
    accounts.withLock { $0[index] = account }
}
let users = (0..<options.users).map { index in accounts.withLock { $0[index]! } }
// User i is in room i % R: room i is created by user i, the others join it.
var createdRooms: [String] = []
for index in 0..<options.rooms { createdRooms.append(try await api.createRoom(token: users[index].token)) }
let rooms = createdRooms
log("\(options.users - options.rooms) users joining \(options.rooms) room(s)")
let memberships = (options.rooms..<options.users).map { (rooms[$0 % options.rooms], users[$0].token) }
try await forEach(memberships, width: 16) { room, token in try await api.join(room, token: token) }

let connectionCount = options.users * options.connectionsPerUser
log("opening \(connectionCount) WebSockets")
let connections = (0..<connectionCount).map { _ in LoadConnection(capacity: plannedMessages) }
try await forEach(Array(0..<connectionCount), width: 64) { index in
    try await connections[index].open(url: wsBase + users[index % options.users].token)
}
log("all \(connectionCount) connected")
// Join messages ("x joined") and what they cause elsewhere are not part of the measure.
log(String(format: "stack idle after %.0f s", await StackCPU.waitUntilIdle()))
await sampler?.resetCPU()
await selfSampler.resetCPU()
let stackAtStart = StackCPU.snapshot()

if options.mode == "mention" || options.mode == "pong" {
    if options.mode == "mention" {
        try await runRoomMention(api: api, users: users, room: rooms[0], connections: connections)
    } else {
        try await runPong(api: api, http: http, users: users, rooms: rooms, connections: connections, duration: options.duration)
    }
    for connection in connections { await connection.close() }
    try? await http.shutdown()
    exit(0)
}

// The measured part.
let sent = Atomic(0)
let failed = Atomic(0)
/// Accepted messages per room: each is due to every connection of that room's members.
let sentPerRoom = Mutex([Int](repeating: 0, count: options.rooms))
let sequence = Atomic(0)
/// Each REST send's reply time, microseconds.
let replyTimes = Mutex<[Int64]>([])
let started = Date()
await withTaskGroup(of: Void.self) { group in
    group.addTask {
        while Date().timeIntervalSince(started) < options.duration + 5 {
            await sampler?.sample()
            await selfSampler.sample()
            try? await Task.sleep(for: .milliseconds(500))
        }
    }
    guard options.rate > 0 else { return }
    let interval = Double(options.senders) / options.rate
    for sender in 0..<options.senders {
        group.addTask {
            let user = users[sender]
            let room = rooms[sender % rooms.count]
            var tick = 0
            while true {
                let due = started.addingTimeInterval(Double(tick) * interval + Double(sender) * interval / Double(options.senders))
                // A closed-loop sender falls behind its schedule: the clock ends the run too.
                guard due.timeIntervalSince(started) < options.duration, Date().timeIntervalSince(started) < options.duration else { break }
                let wait = due.timeIntervalSinceNow
                if wait > 0 { try? await Task.sleep(for: .microseconds(Int64(wait * 1_000_000))) }
                tick += 1
                let number = sequence.add(1, ordering: .relaxed).oldValue
                let content = Marker.content(sequence: number, sentMicros: Marker.nowMicros)
                let clientID = "lg-\(run)-\(number)"
                if options.mode == "ws" {
                    let frame: [String: Any] = ["type": "send_message", "data": ["room_id": room, "content": content, "client_id": clientID]]
                    connections[sender].send(String(decoding: try! JSONSerialization.data(withJSONObject: frame), as: UTF8.self))
                    sent.add(1, ordering: .relaxed)
                    sentPerRoom.withLock { $0[sender % options.rooms] += 1 }
                } else {
                    // Each REST sender waits for its reply (a closed loop): at a rate above what
                    // the stack takes, the figure is its throughput at this many senders.
                    let asked = Marker.nowMicros
                    let accepted = await api.send(content, clientID: clientID, to: room, token: user.token)
                    let replied = Marker.nowMicros
                    replyTimes.withLock { $0.append(replied - asked) }
                    if accepted {
                        sent.add(1, ordering: .relaxed)
                        sentPerRoom.withLock { $0[sender % options.rooms] += 1 }
                    } else {
                        failed.add(1, ordering: .relaxed)
                    }
                }
            }
        }
    }
}

// Every delivery has had 5 s after the last send (the sampler above ran that long).
let stackUsed = StackCPU.used(from: stackAtStart, to: StackCPU.snapshot())
let totalSent = sent.load(ordering: .relaxed)
let connectionsPerRoom = (0..<options.rooms).map { room in (0..<options.users).filter { $0 % options.rooms == room }.count * options.connectionsPerUser }
let expected = sentPerRoom.withLock { perRoom in zip(perRoom, connectionsPerRoom).reduce(0) { $0 + $1.0 * $1.1 } }
let unique = connections.reduce(0) { $0 + $1.deliveries.unique }
let duplicates = connections.reduce(0) { $0 + $1.deliveries.duplicates }
let latencies = connections.flatMap { $0.deliveries.latencies }.sorted()
func percentile(_ p: Double, of latencies: [Int64]) -> String {
    guard !latencies.isEmpty else { return "-" }
    let value = latencies[min(latencies.count - 1, Int(Double(latencies.count) * p))]
    return String(format: "%.1f ms", Double(value) / 1000)
}

print("mode \(options.mode), \(options.users) users, \(connectionCount) connections, \(options.senders) senders at \(options.rate) msg/s for \(options.duration) s")
if options.rate > 0 {
    print("sent \(totalSent) (\(failed.load(ordering: .relaxed)) refused), \(String(format: "%.1f", Double(totalSent) / options.duration)) msg/s")
    print("deliveries: expected \(expected), delivered \(unique), lost \(expected - unique), duplicated \(duplicates), " +
          "\(String(format: "%.0f", Double(unique) / options.duration)) deliveries/s")
    print("send-to-receipt latency: p50 \(percentile(0.5, of: latencies)), p95 \(percentile(0.95, of: latencies)), " +
          "p99 \(percentile(0.99, of: latencies)), max \(percentile(1.0, of: latencies))")
    if options.mode == "rest" {
        let replies = replyTimes.withLock { $0 }.sorted()
        print("REST send reply: p50 \(percentile(0.5, of: replies)), p99 \(percentile(0.99, of: replies)), max \(percentile(1.0, of: replies))")
    }
    StackCPU.report(stackUsed, per: totalSent, unit: "send")
    StackCPU.report(stackUsed, per: unique, unit: "delivery")
}
let stillOpen = connections.filter { !$0.isClosed }.count
print("connections still open at the end: \(stillOpen) of \(connectionCount); error frames: \(connections.reduce(0) { $0 + $1.errorFrames })")
if let sampler {
    print(String(format: "gateway (pid %d): peak RSS %.1f MB, CPU %.0f%% of one core", sampler.pid, Double(await sampler.peakRSSKiB) / 1024, await sampler.cpuPercent))
}
print(String(format: "loadgen itself: CPU %.0f%% of one core", await selfSampler.cpuPercent))
for connection in connections { await connection.close() }
try? await http.shutdown()
