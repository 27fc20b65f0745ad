import Foundation
import HummingbirdTesting
import MessagesService
import ServiceKit
import Testing
import TestSupport

/// Messages run as two instances against one database: a room's ids follow the order its
/// messages were committed in, whichever instance wrote them and whatever its clock says.
@Suite struct TwoInstancesTests {
    /// More sends than a person may make in ten seconds.
    static let sendsUnlimited = ["SEND_RATE_LIMIT": "1000"]

    @Test func aRoomKeepsOneOrderAcrossInstancesWhoseClocksDisagree() async throws {
        try await withMessages(settings: Self.sendsUnlimited) { stack in
            let room = try await RoomFixture.make(stack, memberCount: 1)
            let (owner, member) = (room.owner, room.members[0])
            let behindClock = WallClock { Date().addingTimeInterval(-3) }
            let second = try await MessagesService.buildApplication(
                settings: MessagesSettings(reader: TestEnvironment.reader(stack.settings)), clock: behindClock, neighbours: stack.neighbours)
            try await second.test(.live) { behind in
                // One after the other, through the first instance and the one 3 s behind it.
                var sent: [String] = []
                for index in 1...3 {
                    sent.append(try await room.sent("ahead \(index)", as: owner).id!)
                    let reply = try await behind.call(.post, "/rooms/\(room.id)/messages", json: ["content": "behind \(index)"], token: member.token)
                    #expect(reply.status == .created)
                    sent.append(try #require(reply["id"] as? String))
                }
                #expect(try await room.messages(as: owner).messages.compactMap(\.id) == sent, "history in the order it was written")

                // At once, each sender through one instance, while a reader pages with `after=`:
                // a message committed after one the reader saw never has a smaller id.
                let reader = AfterReader(room: room, reader: owner, cursor: sent.last!)
                async let fromAhead: Void = { for index in 1...15 { _ = try await room.sent("together ahead \(index)", as: owner) } }()
                async let fromBehind: Void = {
                    for index in 1...15 {
                        let reply = try await behind.call(
                            .post, "/rooms/\(room.id)/messages", json: ["content": "together behind \(index)"], token: member.token)
                        guard reply.status == .created else { throw TestFailure("send through the second instance: \(reply.status)") }
                    }
                }()
                async let reading: Void = { for _ in 1...20 { try await reader.readOn() } }()
                _ = try await (fromAhead, fromBehind, reading)
                try await reader.readOn()
                let history = try await room.messages(as: owner, query: "?limit=100").messages
                let together = history.filter { ($0["content"] as? String)?.hasPrefix("together") == true }
                #expect(together.count == 30)
                #expect(await reader.seen == together.compactMap(\.id), "the reader saw every message, once, in history's order")
                for sender in ["ahead", "behind"] {
                    let own = together.compactMap { $0["content"] as? String }.filter { $0.hasPrefix("together \(sender)") }
                    #expect(own == (1...15).map { "together \(sender) \($0)" }, "each sender's messages in the order sent")
                }
            }
        }
    }
}

/// A client that keeps up with a room by `after=` pages: what it saw, in order.
private actor AfterReader {
    let room: RoomFixture
    let reader: RoomFixture.User
    private var cursor: String
    private(set) var seen: [String] = []

    init(room: RoomFixture, reader: RoomFixture.User, cursor: String) {
        self.room = room
        self.reader = reader
        self.cursor = cursor
    }

    func readOn() async throws {
        let page = try await room.messages(as: reader, query: "?after=\(cursor)&limit=100").messages
        seen += page.compactMap(\.id)
        if let last = page.last?.id { cursor = last }
    }
}
