import CallsAPI
import Foundation
@testable import CallsService
import Testing

/// How a call moves on, rule by rule, without a clock or a database.
@Suite struct CallRulesTests {
    let alice = UUID()
    let bob = UUID()
    let carol = UUID()
    let room = UUID()
    let start = Date(timeIntervalSince1970: 1_800_000_000)

    func call(ringing: [UUID]) -> Call {
        CallRules.newCall(room: room, kind: "video", caller: alice, ringing: ringing, at: start)
    }

    @Test func aDirectRoomRingsTheOtherPersonAndAGroupEveryoneWhoHasNotMutedIt() {
        let roster = [(alice, "all"), (bob, "muted"), (carol, "mentions")]
        #expect(CallRules.ringing(roster: roster, roomType: "direct", caller: alice, blockers: []) == [bob, carol])
        #expect(CallRules.ringing(roster: roster, roomType: "private", caller: alice, blockers: []) == [carol])
        #expect(CallRules.ringing(roster: roster, roomType: "private", caller: alice, blockers: [carol]).isEmpty)
    }

    @Test func anAnsweredCallEndsWithItsDurationWhenThePairHangsUp() throws {
        var call = call(ringing: [bob])
        try CallRules.accept(&call, by: bob, at: start.addingTimeInterval(5))
        #expect(call.status == "active")
        #expect(call.answeredAt == start.addingTimeInterval(5))
        try CallRules.leave(&call, by: bob, at: start.addingTimeInterval(5 + 750))
        #expect(call.status == "ended")
        #expect(call.durationSeconds == 750)
        #expect(call.participants.allSatisfy { $0.state == "left" })
        #expect(CallRules.summary(of: call) == "Call, 12 min 30 s")
        #expect(throws: (any Error).self) { try CallRules.accept(&call, by: bob, at: start) }
    }

    @Test func nobodyAnsweringIn45SecondsIsAMissedCall() {
        var call = call(ringing: [bob, carol])
        CallRules.ringOut(&call, at: start.addingTimeInterval(44))
        #expect(call.status == "ringing")
        CallRules.ringOut(&call, at: start.addingTimeInterval(45))
        #expect(call.status == "missed")
        #expect(call.participant(bob)?.state == "missed")
        #expect(CallRules.summary(of: call) == "Missed call")
    }

    @Test func everyoneDecliningIsADeclinedCallAndTheCallerHangingUpFirstAMissedOne() throws {
        var declined = call(ringing: [bob, carol])
        try CallRules.decline(&declined, by: bob, at: start)
        #expect(declined.status == "ringing")
        try CallRules.decline(&declined, by: carol, at: start)
        #expect(declined.status == "declined")
        #expect(CallRules.summary(of: declined) == "Declined call")

        var abandoned = call(ringing: [bob])
        try CallRules.leave(&abandoned, by: alice, at: start.addingTimeInterval(3))
        #expect(abandoned.status == "missed")
        #expect(abandoned.participant(bob)?.state == "missed")
    }

    @Test func aGroupCallGoesOnWhileTwoAreInItAndTakesEightAtMost() throws {
        var call = call(ringing: [bob, carol])
        try CallRules.accept(&call, by: bob, at: start)
        try CallRules.accept(&call, by: carol, at: start)
        try CallRules.leave(&call, by: alice, at: start.addingTimeInterval(60))
        #expect(call.status == "active")
        try CallRules.leave(&call, by: carol, at: start.addingTimeInterval(90))
        #expect(call.status == "ended")
        #expect(call.participant(bob)?.state == "left")

        let crowd = (0..<8).map { _ in UUID() }
        var full = self.call(ringing: crowd)
        for person in crowd.prefix(7) { try CallRules.accept(&full, by: person, at: start) }
        #expect(throws: (any Error).self) { try CallRules.accept(&full, by: crowd[7], at: start) }
    }

    @Test func durationsReadAsPeopleSayThem() {
        #expect(CallRules.duration(45) == "45 s")
        #expect(CallRules.duration(750) == "12 min 30 s")
        #expect(CallRules.duration(600) == "10 min")
        #expect(CallRules.duration(3900) == "1 h 5 min")
    }

    /// coturn's REST scheme, checked against openssl's HMAC of the same username.
    @Test func turnCredentialsAreTheExpiryAndUserSignedWithTheSharedSecret() {
        let user = UUID(uuidString: "6f1f0e8a-0000-4000-8000-000000000001")!
        let credentials = TurnCredentials(user: user, secret: "north", uris: ["turn:127.0.0.1:3478"], ttlSeconds: 3600, now: start)
        #expect(credentials.username == "1800003600:6f1f0e8a-0000-4000-8000-000000000001")
        // echo -n "$username" | openssl dgst -sha1 -hmac north -binary | base64
        #expect(credentials.credential == "c574ezqzvzXjeNIjihWKmYKdm38=")
    }
}
