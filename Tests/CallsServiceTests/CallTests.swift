import CallsAPI
import Foundation
import ServiceKit
import Testing
import TestSupport

/// Calls through the service: ringing, answering, hanging up with the room's line, the ring
/// timeout on a test clock, declining, signalling only between participants, TURN credentials.
@Suite struct CallTests {
    @Test func aCallRingsIsAnsweredAndEndsWithItsDuration() async throws {
        try await withCalls { calls in
            let (alice, bob, stranger) = (try await calls.user(), try await calls.user(), try await calls.user())
            let room = try await calls.room("direct", alice, with: [bob])
            let started = try await calls.start(in: room, by: alice, session: "tab-a")
            #expect(started.status == .created)
            let id = try #require(started["id"] as? String)
            #expect(started["status"] as? String == "ringing")
            let event = try #require(try await calls.events.waitFor(1) { $0.type == CallEventType.started.rawValue }.first)
            let payload = try JSONValueDecoder.decode(CallChanged.self, from: event.data)
            #expect(payload.ringingUserIds?.map(\.apiString) == [bob.id])
            #expect(payload.callerName == alice.username)
            // One call per room at a time; strangers see nothing.
            #expect(try await calls.start(in: room, by: bob).errorCode == "call_in_progress")
            #expect(try await calls.service.call(.get, "/calls/\(id)", token: stranger.token).status == .notFound)
            #expect(try await calls.post("/calls/\(id)/accept", by: stranger).status == .notFound)

            let accepted = try await calls.post("/calls/\(id)/accept", by: bob, json: ["session_id": "tab-b"])
            #expect(accepted["status"] as? String == "active")
            calls.clock.advance(by: 750)
            let ended = try await calls.post("/calls/\(id)/leave", by: bob)
            #expect(ended["status"] as? String == "ended")
            #expect(ended["duration_seconds"] as? Int == 750)
            let last = try #require(try await calls.events.waitFor(1) { $0.type == CallEventType.ended.rawValue }.first)
            #expect(last.data["summary"]?.stringValue == "Call, 12 min 30 s")
            #expect(try await calls.service.call(.get, "/rooms/\(room)/calls", token: alice.token)["call"] is NSNull)
        }
    }

    @Test func nobodyAnsweringIn45SecondsIsMissed() async throws {
        try await withCalls { calls in
            let (alice, bob) = (try await calls.user(), try await calls.user())
            let room = try await calls.room("direct", alice, with: [bob])
            let id = try #require(try await calls.start(in: room, by: alice, kind: "voice")["id"] as? String)
            try await calls.clock.waitForSleepers()
            calls.clock.advance(by: 46)
            let missed = try #require(try await calls.events.waitFor(1) { $0.type == CallEventType.ended.rawValue }.first)
            #expect(missed.data["summary"]?.stringValue == "Missed call")
            let call = try await calls.service.call(.get, "/calls/\(id)", token: bob.token)
            #expect(call["status"] as? String == "missed")
            #expect(try await calls.post("/calls/\(id)/accept", by: bob).errorCode == "call_over")
        }
    }

    @Test func theRingTimeoutIsConfigurable() async throws {
        try await withCalls(settings: ["RING_SECONDS": "8"]) { calls in
            let (alice, bob) = (try await calls.user(), try await calls.user())
            let room = try await calls.room("direct", alice, with: [bob])
            let started = try await calls.start(in: room, by: alice, kind: "voice")
            let created = try #require((started["created_at"] as? String).flatMap(Timestamp.parse))
            let ringUntil = try #require((started["ring_until"] as? String).flatMap(Timestamp.parse))
            #expect(ringUntil.timeIntervalSince(created) == 8)
            try await calls.clock.waitForSleepers()
            calls.clock.advance(by: 9)
            let missed = try #require(try await calls.events.waitFor(1) { $0.type == CallEventType.ended.rawValue }.first)
            #expect(missed.data["summary"]?.stringValue == "Missed call")
        }
    }

    @Test func aDeclinedCallEndsAsDeclined() async throws {
        try await withCalls { calls in
            let (alice, bob) = (try await calls.user(), try await calls.user())
            let room = try await calls.room("direct", alice, with: [bob])
            let id = try #require(try await calls.start(in: room, by: alice)["id"] as? String)
            #expect(try await calls.post("/calls/\(id)/decline", by: alice).errorCode == "not_ringing")
            let declined = try await calls.post("/calls/\(id)/decline", by: bob)
            #expect(declined["status"] as? String == "declined")
            let ended = try #require(try await calls.events.waitFor(1) { $0.type == CallEventType.ended.rawValue }.first)
            #expect(ended.data["summary"]?.stringValue == "Declined call")
        }
    }

    @Test func signalsPassOnlyBetweenTheCallsParticipants() async throws {
        try await withCalls { calls in
            try await withTimeout(seconds: 60) {
                let (alice, bob, carol) = (try await calls.user(), try await calls.user(), try await calls.user())
                let room = try await calls.room("private", alice, with: [bob, carol])
                let id = try #require(try await calls.start(in: room, by: alice, session: "tab-a")["id"] as? String)
                _ = try await calls.post("/calls/\(id)/accept", by: bob, json: ["session_id": "tab-b"])
                let subscription = try await calls.redis.subscribe(to: [calls.redis.namespaced(RealtimeSignal.channel)])
                defer { Task { await subscription.close() } }

                let offer: [String: Any] = ["type": "offer", "to_user_id": bob.id, "data": ["sdp": "v=0"]]
                #expect(try await calls.post("/calls/\(id)/signal", by: alice, json: offer).status == .ok)
                var messages = subscription.messages.makeAsyncIterator()
                let signal = try JSONDecoder().decode(RealtimeSignal.self, from: Data(try #require(await messages.next()).payload.utf8))
                #expect(signal.sessions == ["tab-b"])
                #expect(signal.users.isEmpty && signal.rooms.isEmpty)
                let frame = try #require(try JSONSerialization.jsonObject(with: Data(signal.frame.utf8)) as? [String: Any])
                #expect(frame["type"] as? String == "call_offer")
                let data = try #require(frame["data"] as? [String: Any])
                #expect(data["from_user_id"] as? String == alice.id)
                #expect((data["data"] as? [String: Any])?["sdp"] as? String == "v=0")

                // Carol was rung but did not answer: she cannot signal, nor be signalled.
                let injected = try await calls.post("/calls/\(id)/signal", by: carol, json: ["type": "ice", "to_user_id": alice.id, "data": [:]])
                #expect(injected.status == .forbidden)
                #expect(injected.errorCode == "not_in_call")
                #expect(try await calls.post("/calls/\(id)/signal", by: alice, json: ["type": "offer", "to_user_id": carol.id, "data": [:]]).errorCode
                    == "recipient_not_in_call")
                #expect(try await calls.post("/calls/\(id)/signal", by: alice, json: ["type": "eval", "data": [:]]).errorField == "type")
            }
        }
    }

    @Test func turnCredentialsLastAnHour() async throws {
        try await withCalls { calls in
            let alice = try await calls.user()
            let reply = try await calls.service.call(.get, "/calls/turn-credentials", token: alice.token)
            #expect(reply.status == .ok)
            let username = try #require(reply["username"] as? String)
            let expiry = try #require(Double(username.split(separator: ":")[0]))
            #expect(abs(expiry - calls.clock.now.timeIntervalSince1970 - 3600) < 2)
            #expect(username.hasSuffix(":\(alice.id)"))
            #expect(reply["uris"] as? [String] == ["turn:127.0.0.1:3478"])
            #expect(reply["ttl_seconds"] as? Int == 3600)
            #expect(try await calls.service.call(.get, "/calls/turn-credentials").status == .unauthorized)
        }
    }
}
