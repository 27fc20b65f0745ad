import Foundation

/// CPU time of every process of the stack (the services, the gateway, Redis and Postgres), read
/// from `/proc/<pid>/stat` at the start and the end of the measured part, so a run can report
/// CPU per send and per delivery across all of them.
///
/// Postgres forks a backend per connection: a backend that exits during the run has its time
/// added to the postmaster's `cutime`/`cstime`, which is counted, and its own start value taken
/// off; a backend started during the run counts from zero.
struct StackCPU {
    /// Process names (`/proc/<pid>/comm`) that make up the stack.
    static let names: Set<String> = ["gateway", "auth", "rooms", "messages", "media", "search", "notify", "games", "redis-server", "postgres"]

    /// Each process of the stack: its name and the CPU seconds it has used.
    typealias Snapshot = [Int32: (name: String, seconds: Double)]

    static func snapshot() -> Snapshot {
        var snapshot = Snapshot()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), let stat = ProcessStat(pid: pid), names.contains(stat.name) else { continue }
            // The postmaster is the postgres process whose parent is not postgres.
            let isPostmaster = stat.name == "postgres" && ProcessStat(pid: stat.parent)?.name != "postgres"
            snapshot[pid] = (stat.name, stat.ownSeconds + (isPostmaster ? stat.reapedChildrenSeconds : 0))
        }
        return snapshot
    }

    /// CPU seconds used between two snapshots, per process name.
    static func used(from start: Snapshot, to end: Snapshot) -> [String: Double] {
        var used: [String: Double] = [:]
        for (pid, process) in end {
            used[process.name, default: 0] += process.seconds - (start[pid]?.seconds ?? 0)
        }
        // Exited: their whole time is in the postmaster's reaped figure; take off what came before.
        for (pid, process) in start where end[pid] == nil {
            used[process.name, default: 0] -= process.seconds
        }
        return used
    }

    /// Waits (at most `limit` seconds) until the stack is idle: under `idleShare` of one core over
    /// a second. Set-up leaves work behind (join messages indexed, notified, relayed) that must
    /// not be counted against the measured sends. Returns the seconds waited.
    static func waitUntilIdle(idleShare: Double = 0.05, limit: Double = 120) async -> Double {
        let started = Date()
        var before = snapshot()
        while Date().timeIntervalSince(started) < limit {
            try? await Task.sleep(for: .seconds(1))
            let now = snapshot()
            if used(from: before, to: now).values.reduce(0, +) < idleShare { break }
            before = now
        }
        return Date().timeIntervalSince(started)
    }

    /// Prints the CPU per unit (a send, a delivery), in total and per process name, busiest first.
    static func report(_ used: [String: Double], per units: Int, unit: String) {
        guard units > 0 else { return }
        let total = used.values.reduce(0, +)
        let parts = used.sorted { $0.value > $1.value }.filter { $0.value > 0 }
            .map { String(format: "%@ %.3f", $0.key, 1000 * $0.value / Double(units)) }
        print(String(format: "CPU per %@, whole stack: %.3f ms (", unit, 1000 * total / Double(units)) + parts.joined(separator: ", ") + ")")
    }
}
