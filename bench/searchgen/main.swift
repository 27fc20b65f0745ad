import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

// Fills search with a realistic corpus through its ingest path (`POST /internal/events`, as
// messages' relay delivers), then times searches through the gateway (bench/README.md).
//
//   searchgen --gateway http://127.0.0.1:8080 --search http://127.0.0.1:8085 --service-token T \
//             --messages 1000000 --rooms 1000 --queries 400 [--session-file PATH]
//
// `--session-file` writes the searching user's token and the queries as JSON, for a browser to
// run the same searches (bench/web-search).

struct Options {
    var gateway = "http://127.0.0.1:8080"
    var search = "http://127.0.0.1:8085"
    var serviceToken = ""
    var messages = 1_000_000
    var rooms = 1_000
    var senders = 20
    var batch = 500
    var concurrency = 4
    var queries = 400
    var sessionFile: String?

    init(_ arguments: [String]) {
        var iterator = arguments.dropFirst().makeIterator()
        while let flag = iterator.next() {
            guard let value = iterator.next() else { fatalError("\(flag) needs a value") }
            switch flag {
            case "--gateway": gateway = value
            case "--search": search = value
            case "--service-token": serviceToken = value
            case "--messages": messages = Int(value)!
            case "--rooms": rooms = Int(value)!
            case "--senders": senders = Int(value)!
            case "--batch": batch = Int(value)!
            case "--concurrency": concurrency = Int(value)!
            case "--queries": queries = Int(value)!
            case "--session-file": sessionFile = value
            default: fatalError("unknown option \(flag)")
            }
        }
    }
}

/// Words drawn with a Zipf distribution (exponent 1.07) from a vocabulary of common words of
/// four languages followed by made-up ones, so a few words are everywhere and most are rare.
struct Vocabulary {
    let words: [String]
    let cumulative: [Double]

    static let common = """
        the be to of and a in that have it for not on with he as you do at this but his by from they we say her she or an will my \
        one all would there their what so up out if about who get which go me when make can like time no just him know take people \
        into year your good some could them see other than then now look only come its over think also back after use two how our \
        work first well way even new want because any these give day most us deploy server build release meeting budget report \
        der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden aus er hat dass sie nach \
        le de un être et à il avoir ne je son que se qui ce dans en du elle au pour pas plus par sur faire avec tout nous mais \
        el la de que y a en un ser se no haber por con su para como estar tener le lo todo pero más hacer o poder decir este ir
        """.split(whereSeparator: \.isWhitespace).map(String.init)

    init(size: Int, random: inout some RandomNumberGenerator) {
        let syllables = ["ka", "lo", "mi", "ner", "to", "pa", "ri", "zu", "ven", "dor", "sa", "qui", "bel", "tra", "on", "ex", "ma", "lu"]
        var seen = Set(Self.common)
        var words = Self.common
        while words.count < size {
            let word = (0..<Int.random(in: 2...4, using: &random)).map { _ in syllables.randomElement(using: &random)! }.joined()
            if seen.insert(word).inserted { words.append(word) }
        }
        self.words = words
        var total = 0.0
        var cumulative: [Double] = []
        for rank in 1...words.count {
            total += 1 / pow(Double(rank), 1.07)
            cumulative.append(total)
        }
        self.cumulative = cumulative.map { $0 / total }
    }

    func draw(_ random: inout some RandomNumberGenerator) -> String {
        let target = Double.random(in: 0..<1, using: &random)
        var low = 0
        var high = cumulative.count - 1
        while low < high {
            let middle = (low + high) / 2
            if cumulative[middle] < target { low = middle + 1 } else { high = middle }
        }
        return words[low]
    }
}

/// A message's text: 3-40 Zipf words, sometimes a link, an address, an identifier or a number.
func content(_ vocabulary: Vocabulary, _ random: inout some RandomNumberGenerator) -> String {
    var words = (0..<Int.random(in: 3...40, using: &random)).map { _ in vocabulary.draw(&random) }
    let roll = Int.random(in: 0..<100, using: &random)
    let a = vocabulary.draw(&random)
    let b = vocabulary.draw(&random)
    switch roll {
    case 0..<10: words.append("https://\(a).example.com/\(b)/\(Int.random(in: 1...999, using: &random))")
    case 10..<15: words.append("\(a).\(b)@example.org")
    case 15..<20: words.append(a + b.prefix(1).uppercased() + b.dropFirst() + "Handler")
    case 20..<25: words.append("\(a)_\(b)_config")
    case 25..<30: words.append("\(Int.random(in: 1...9, using: &random)),\(Int.random(in: 100...999, using: &random)),000")
    case 30..<33: words.append("v\(Int.random(in: 1...9, using: &random)).\(Int.random(in: 0...20, using: &random)).\(Int.random(in: 0...9, using: &random))")
    default: break
    }
    return words.joined(separator: " ")
}

/// A UUIDv7 for `date`: ids sort as times do, as messages' ids do.
func uuidV7(_ date: Date, _ random: inout some RandomNumberGenerator) -> String {
    let millis = UInt64(date.timeIntervalSince1970 * 1000)
    var bytes = (0..<16).map { _ in UInt8.random(in: 0...255, using: &random) }
    for index in 0..<6 { bytes[index] = UInt8((millis >> (8 * (5 - UInt64(index)))) & 0xFF) }
    bytes[6] = 0x70 | (bytes[6] & 0x0F)
    bytes[8] = 0x80 | (bytes[8] & 0x3F)
    let hex = bytes.map { String(format: "%02x", $0) }.joined()
    let parts = [hex.prefix(8), hex.dropFirst(8).prefix(4), hex.dropFirst(12).prefix(4), hex.dropFirst(16).prefix(4), hex.dropFirst(20)]
    return parts.joined(separator: "-")
}

struct User {
    let id: String
    let username: String
    let token: String
}

let options = Options(CommandLine.arguments)
let http = HTTPClient(eventLoopGroupProvider: .singleton)
var generator = SystemRandomNumberGenerator()

func json(_ method: HTTPMethod, _ url: String, _ body: Any?, token: String?) async throws -> (Int, Any?) {
    var request = HTTPClientRequest(url: url)
    request.method = method
    request.headers.add(name: "content-type", value: "application/json")
    if let token { request.headers.add(name: "authorization", value: "Bearer \(token)") }
    if let body { request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: body))) }
    let response = try await http.execute(request, timeout: .seconds(60))
    let data = try await response.body.collect(upTo: 16 << 20)
    return (Int(response.status.code), data.readableBytes > 0 ? try? JSONSerialization.jsonObject(with: Data(buffer: data)) : nil)
}

func register(_ name: String) async throws -> User {
    let username = "\(name)\(Int.random(in: 100_000...999_999))"
    let (status, reply) = try await json(.POST, "\(options.gateway)/auth/register", ["username": username, "password": "benchmark password"], token: nil)
    guard status == 201, let object = reply as? [String: Any], let token = object["token"] as? String,
        let id = (object["user"] as? [String: Any])?["id"] as? String
    else { fatalError("register failed: \(status)") }
    return User(id: id, username: username, token: token)
}

func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }
func percentile(_ values: [Double], _ p: Double) -> Double { values.sorted()[min(values.count - 1, Int(Double(values.count) * p))] }

// The searching user owns every room; the senders are real users, so `from:` resolves.
let owner = try await register("bench_owner")
var senders: [User] = []
for index in 0..<options.senders { senders.append(try await register("bench_s\(index)_")) }
print("creating \(options.rooms) rooms")
var rooms: [String] = []
try await withThrowingTaskGroup(of: String.self) { group in
    var next = 0
    func addRoom() {
        let index = next
        next += 1
        group.addTask {
            let (status, reply) = try await json(.POST, "\(options.gateway)/rooms", ["name": "bench room \(index)", "type": "public"], token: owner.token)
            guard status == 201, let id = (reply as? [String: Any])?["id"] as? String else { fatalError("room creation failed: \(status)") }
            return id
        }
    }
    for _ in 0..<min(8, options.rooms) { addRoom() }
    while let id = try await group.next() {
        rooms.append(id)
        if next < options.rooms { addRoom() }
    }
}

let vocabulary = Vocabulary(size: 30_000, random: &generator)
print("generating \(options.messages) messages")
let start = Date().addingTimeInterval(-365 * 86_400)
let step = 365 * 86_400 / Double(options.messages)
var samples: [(room: String, text: String)] = []
// Batches are made up front, so the timed part is the service's ingest alone. The generated
// text holds no quote or backslash, so it is written into the JSON as it is.
var batches: [Data] = []
let timestamps = ISO8601DateFormatter()
timestamps.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
var made = 0
while made < options.messages {
    let count = min(options.batch, options.messages - made)
    var events: [String] = []
    for offset in 0..<count {
        let created = start.addingTimeInterval(Double(made + offset) * step)
        let room = rooms.randomElement(using: &generator)!
        let sender = senders.randomElement(using: &generator)!
        let text = content(vocabulary, &generator)
        if (made + offset) % 2_000 == 0 { samples.append((room, text)) }
        let id = uuidV7(created, &generator)
        let timestamp = timestamps.string(from: created)
        let message = """
            {"id":"\(id)","room_id":"\(room)","content":"\(text)","content_html":"\(text)","type":"text","parent_id":null,\
            "client_id":null,"mention_ids":[],"created_at":"\(timestamp)","edited_at":null,"deleted":false,"attachments":[],\
            "reactions":[],"read_count":0,"reply_count":0,"last_reply_at":null,\
            "sender":{"id":"\(sender.id)","username":"\(sender.username)","display_name":"\(sender.username)"}}
            """
        events.append("""
            {"id":"\(uuidV7(created, &generator))","type":"message_created","stream":"\(room)","occurred_at":"\(timestamp)",\
            "data":{"room_id":"\(room)","message":\(message),"mention_ids":[],"mentions_room":false}}
            """)
    }
    made += count
    batches.append(Data("{\"events\":[\(events.joined(separator: ","))]}".utf8))
}

print("ingesting them in batches of \(options.batch), \(options.concurrency) at a time")
let ingestStarted = DispatchTime.now().uptimeNanoseconds
try await withThrowingTaskGroup(of: Void.self) { group in
    var inFlight = 0
    for (index, body) in batches.enumerated() {
        if inFlight == options.concurrency {
            try await group.next()
            inFlight -= 1
        }
        inFlight += 1
        group.addTask {
            var request = HTTPClientRequest(url: "\(options.search)/internal/events")
            request.method = .POST
            request.headers.add(name: "content-type", value: "application/json")
            request.headers.add(name: "authorization", value: "Bearer \(options.serviceToken)")
            request.body = .bytes(ByteBuffer(data: body))
            let response = try await http.execute(request, timeout: .seconds(120))
            guard response.status.code == 204 else { fatalError("ingest answered \(response.status.code)") }
        }
        if (index + 1) * options.batch % 100_000 == 0 { print("  \((index + 1) * options.batch) sent") }
    }
    try await group.waitForAll()
}
batches = []
let ingestSeconds = Double(DispatchTime.now().uptimeNanoseconds - ingestStarted) / 1e9
print(String(format: "ingest: %d messages in %.1f s = %.0f messages/s", options.messages, ingestSeconds, Double(options.messages) / ingestSeconds))

// Queries: drawn from the same Zipf vocabulary (common and rare words alike), two-word
// searches, phrases taken from real messages, and filtered ones.
var queries: [(kind: String, parameters: [(String, String)])] = []
for index in 0..<options.queries {
    let word = vocabulary.draw(&generator)
    switch index % 8 {
    case 0, 1, 2: queries.append(("word", [("q", word + " ")]))
    case 3, 4: queries.append(("two words", [("q", "\(word) \(vocabulary.draw(&generator)) ")]))
    case 5:
        let sample = samples.randomElement(using: &generator)!.text.split(separator: " ")
        let at = Int.random(in: 0..<max(1, sample.count - 1), using: &generator)
        queries.append(("phrase", [("q", "\"\(sample[at...].prefix(2).joined(separator: " "))\"")]))
    case 6: queries.append(("filtered", [("q", "\(word) from:\(senders.randomElement(using: &generator)!.username) ")]))
    default: queries.append(("filtered", [("q", "\(word) in:\(rooms.randomElement(using: &generator)!) has:link")]))
    }
}
if let path = options.sessionFile {
    let session: [String: Any] = ["token": owner.token, "queries": queries.map { $0.parameters.first { $0.0 == "q" }?.1 ?? "" }]
    try JSONSerialization.data(withJSONObject: session).write(to: URL(fileURLWithPath: path))
}
var latencies: [String: [Double]] = [:]
var totalResults = 0
for (kind, parameters) in queries {
    var components = URLComponents(string: "\(options.gateway)/search")!
    components.queryItems = parameters.map { URLQueryItem(name: $0.0, value: $0.1) } + [URLQueryItem(name: "limit", value: "20")]
    let began = DispatchTime.now().uptimeNanoseconds
    let (status, reply) = try await json(.GET, components.url!.absoluteString, nil, token: owner.token)
    let milliseconds = Double(DispatchTime.now().uptimeNanoseconds - began) / 1e6
    guard status == 200 else { fatalError("search \(parameters) answered \(status)") }
    totalResults += ((reply as? [String: Any])?["results"] as? [Any])?.count ?? 0
    latencies[kind, default: []].append(milliseconds)
}
let all = latencies.values.flatMap { $0 }
print(String(format: "search: %d queries, %d results in all; p50 %.1f ms, p95 %.1f ms, max %.1f ms", all.count, totalResults, median(all), percentile(all, 0.95), all.max()!))
for (kind, values) in latencies.sorted(by: { $0.key < $1.key }) {
    print(String(format: "  %-10@ %4d queries  p50 %.1f ms  p95 %.1f ms", kind as NSString, values.count, median(values), percentile(values, 0.95)))
}
try await http.shutdown()
