import Foundation

/// `loadgen` options, as `--name value` pairs (see `usage`).
struct Options {
    var gateway = "http://127.0.0.1:8080"
    /// Users who join the room and each hold `connectionsPerUser` WebSockets.
    var users = 100
    var connectionsPerUser = 1
    /// Of the users, how many send, together `rate` messages per second (0: idle, just connect).
    var senders = 10
    /// Rooms the users are spread over (sender i writes to room i % rooms); every user joins each.
    var rooms = 1
    var rate = 100.0
    var duration = 20.0
    /// `rest` (POST /rooms/:id/messages) or `ws` (send_message frames); `mention`: one `@room`
    /// from the room's owner, timed until every other member's sessions have its notification;
    /// `pong`: a Pong match per room between its two users.
    var mode = "ws"
    /// The gateway's process id, for its RSS and CPU (found by name when absent).
    var gatewayPID: Int32?

    static let usage = """
        loadgen [--gateway URL] [--users N] [--connections-per-user N] [--senders S] [--rooms R]
                [--rate MSGS_PER_S] [--duration SECONDS] [--mode ws|rest|mention|pong] [--gateway-pid PID]
        N users join R rooms (1 by default) and connect over WebSocket; S of them send RATE
        messages/s in total for DURATION seconds, sender i to room i % R; every delivery is checked
        (lost, duplicated) and timed end to end.
        With --rate 0 it only connects and holds the connections (idle footprint). REST senders each
        wait for their reply before the next send, so past what the stack takes, the run measures
        its throughput with S concurrent senders.
        --mode mention: the room's owner sends one @room; it reports when each other member's
        sessions got the `notification` frame and how many members have it stored.
        --mode pong --users 2M --rooms M: a Pong match in each room between its two users for
        DURATION seconds, each player changing direction every 0.2 to 1 s; it reports the time
        from an input to the first state frame echoing it, the tick schedule (games' late ticks),
        and games' CPU per tick per match.
        """

    init(arguments: [String]) throws {
        var index = 0
        func value() throws -> String {
            index += 1
            guard index < arguments.count else { throw LoadError("\(arguments[index - 1]) needs a value\n\(Self.usage)") }
            return arguments[index]
        }
        while index < arguments.count {
            switch arguments[index] {
            case "--gateway": gateway = try value()
            case "--users": users = try Self.number(try value())
            case "--connections-per-user": connectionsPerUser = try Self.number(try value())
            case "--senders": senders = try Self.number(try value())
            case "--rooms": rooms = try Self.number(try value())
            case "--rate": rate = try Self.number(try value())
            case "--duration": duration = try Self.number(try value())
            case "--mode": mode = try value()
            case "--gateway-pid": gatewayPID = try Self.number(try value())
            case "--help", "-h": throw LoadError(Self.usage)
            default: throw LoadError("unknown option \(arguments[index])\n\(Self.usage)")
            }
            index += 1
        }
        guard ["ws", "rest", "mention", "pong"].contains(mode), users > 0, senders <= users, rooms > 0, rooms <= users, rate >= 0, duration > 0 else { throw LoadError(Self.usage) }
    }

    private static func number<T: LosslessStringConvertible>(_ text: String) throws -> T {
        guard let number = T(text) else { throw LoadError("\(text) is not a number") }
        return number
    }
}

struct LoadError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
