import CallsAPI
import Foundation
import ServiceKit

/// How a call moves on, pure: a call rings whom it invites for `ringFor` (45 s by default); the first answer
/// makes it active; it ends once at most one person is left in it with nobody ringing. A call
/// nobody answered is missed (rang out, or the caller hung up) or declined (everyone it rang
/// declined). At most `maxJoined` are in a call at once: calls are a mesh, each participant
/// sending to every other.
enum CallRules {
    static let defaultRingSeconds: TimeInterval = 45
    static let maxJoined = 8

    /// Whom a new call rings: the other members of a direct room; in a group room, the others who
    /// have not muted it. Never someone who blocked the caller.
    static func ringing(roster: [(user: UUID, level: String)], roomType: String, caller: UUID, blockers: Set<UUID>) -> [UUID] {
        roster.filter { $0.user != caller && !blockers.contains($0.user) && (roomType == "direct" || $0.level != "muted") }.map(\.user)
    }

    static func newCall(
        room: UUID, kind: String, caller: UUID, ringing: [UUID], at now: Date, ringFor: TimeInterval = defaultRingSeconds, id: UUID = UUID()
    ) -> Call {
        let participants = [CallParticipant(userId: caller, state: "joined", joinedAt: now, leftAt: nil)]
            + ringing.map { CallParticipant(userId: $0, state: "ringing", joinedAt: nil, leftAt: nil) }
        return Call(
            id: id, roomId: room, kind: kind, startedBy: caller, status: "ringing", createdAt: now,
            ringUntil: now.addingTimeInterval(ringFor), answeredAt: nil, endedAt: nil, participants: participants)
    }

    /// `user` answers (or comes back to an active call they left or declined).
    static func accept(_ call: inout Call, by user: UUID, at now: Date) throws {
        guard call.isLive else { throw AppError.conflict("the call is over", code: "call_over") }
        guard let index = call.participants.firstIndex(where: { $0.userId == user }) else {
            throw AppError.forbidden("the call is not for you", code: "not_invited")
        }
        switch call.participants[index].state {
        case "joined":
            return
        case "ringing":
            break
        default:
            guard call.status == "active" else { throw AppError.conflict("the call is no longer ringing for you", code: "not_ringing") }
        }
        guard call.participants.filter({ $0.state == "joined" }).count < maxJoined else {
            throw AppError.conflict("the call has \(maxJoined) people in it already", code: "call_full")
        }
        call.participants[index].state = "joined"
        call.participants[index].joinedAt = now
        call.participants[index].leftAt = nil
        if call.status == "ringing" {
            call.status = "active"
            call.answeredAt = now
        }
    }

    /// `user`, rung, says no.
    static func decline(_ call: inout Call, by user: UUID, at now: Date) throws {
        guard call.isLive else { throw AppError.conflict("the call is over", code: "call_over") }
        guard let index = call.participants.firstIndex(where: { $0.userId == user }) else {
            throw AppError.forbidden("the call is not for you", code: "not_invited")
        }
        guard call.participants[index].state == "ringing" else { throw AppError.conflict("the call is not ringing for you", code: "not_ringing") }
        call.participants[index].state = "declined"
        settle(&call, at: now)
    }

    /// `user` hangs up (the caller, before anyone answered, calls it off).
    static func leave(_ call: inout Call, by user: UUID, at now: Date) throws {
        guard call.isLive else { throw AppError.conflict("the call is over", code: "call_over") }
        guard let index = call.participants.firstIndex(where: { $0.userId == user && $0.state == "joined" }) else {
            throw AppError.conflict("you are not in the call", code: "not_in_call")
        }
        call.participants[index].state = "left"
        call.participants[index].leftAt = now
        settle(&call, at: now)
    }

    /// Ringing stops for whoever has not answered by `ringUntil`: they missed it.
    static func ringOut(_ call: inout Call, at now: Date) {
        guard call.isLive, now >= call.ringUntil else { return }
        for index in call.participants.indices where call.participants[index].state == "ringing" {
            call.participants[index].state = "missed"
        }
        settle(&call, at: now)
    }

    /// Ends the call when nothing keeps it going.
    private static func settle(_ call: inout Call, at now: Date) {
        let joined = call.participants.filter { $0.state == "joined" }.count
        let ringing = call.participants.contains { $0.state == "ringing" }
        switch call.status {
        case "ringing":
            let callerLeft = call.participant(call.startedBy)?.state != "joined"
            guard callerLeft || !ringing else { return }
            let everyoneDeclined = !callerLeft && call.participants.allSatisfy { $0.userId == call.startedBy || $0.state == "declined" }
            end(&call, as: everyoneDeclined ? "declined" : "missed", at: now)
        case "active":
            guard joined <= 1, !ringing || joined == 0 else { return }
            end(&call, as: "ended", at: now)
        default:
            return
        }
    }

    private static func end(_ call: inout Call, as status: String, at now: Date) {
        call.status = status
        call.endedAt = now
        for index in call.participants.indices {
            switch call.participants[index].state {
            case "joined":
                call.participants[index].state = "left"
                call.participants[index].leftAt = now
            case "ringing":
                call.participants[index].state = "missed"
            default:
                break
            }
        }
    }

    /// The room's line for an ended call: "Call, 12 min 30 s", "Missed call", "Declined call".
    static func summary(of call: Call) -> String? {
        switch call.status {
        case "ended": return "Call, \(duration(call.durationSeconds ?? 0))"
        case "missed": return "Missed call"
        case "declined": return "Declined call"
        default: return nil
        }
    }

    /// "45 s", "12 min 30 s", "1 h 5 min".
    static func duration(_ seconds: Int) -> String {
        let (hours, minutes, rest) = (seconds / 3600, seconds % 3600 / 60, seconds % 60)
        if hours > 0 { return minutes > 0 ? "\(hours) h \(minutes) min" : "\(hours) h" }
        if minutes > 0 { return rest > 0 ? "\(minutes) min \(rest) s" : "\(minutes) min" }
        return "\(rest) s"
    }
}
