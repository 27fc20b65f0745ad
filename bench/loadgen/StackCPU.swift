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
    static let names: Set<String> = ["gateway", "auth", "rooms", "messages", "media", "search", "notify", "redis-server", "postgres"]

    struct Snapshot {
        /// Seconds of CPU per process, and each process's name.
        var seconds: [Int32: Double] = [:]
        var names: [Int32: String] = [:]
    }

    static func snapshot() -> Snapshot {
        var snapshot = Snapshot()
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), let stat = Stat(pid: pid), names.contains(stat.name) else { continue }
            // The postmaster is the postgres process whose parent is not postgres.
            let isPostmaster = stat.name == "postgres" && Stat(pid: stat.parent)?.name != "postgres"
            snapshot.seconds[pid] = stat.ownSeconds + (isPostmaster ? stat.reapedChildrenSeconds : 0)
            snapshot.names[pid] = stat.name
        }
        return snapshot
    }

    /// CPU seconds used between two snapshots, per process name.
    static func used(from start: Snapshot, to end: Snapshot) -> [String: Double] {
        var used: [String: Double] = [:]
        for (pid, seconds) in end.seconds {
            used[end.names[pid]!, default: 0] += seconds - (start.seconds[pid] ?? 0)
        }
        // Exited: their whole time is in the postmaster's reaped figure; take off what came before.
        for (pid, seconds) in start.seconds where end.seconds[pid] == nil {
            used[start.names[pid]!, default: 0] -= seconds
        }
        return used
    }

    /// Prints the CPU per unit (a send, a delivery), in total and per process name, busiest first.
    static func report(_ used: [String: Double], per units: Int, unit: String) {
        guard units > 0 else { return }
        let total = used.values.reduce(0, +)
        let parts = used.sorted { $0.value > $1.value }.filter { $0.value > 0 }
            .map { String(format: "%@ %.3f", $0.key, 1000 * $0.value / Double(units)) }
        print(String(format: "CPU per %@, whole stack: %.3f ms (", unit, 1000 * total / Double(units)) + parts.joined(separator: ", ") + ")")
    }

    /// The fields of `/proc/<pid>/stat` read here.
    private struct Stat {
        let name: String
        let parent: Int32
        let ownSeconds: Double
        let reapedChildrenSeconds: Double

        init?(pid: Int32) {
            guard let text = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
                let open = text.firstIndex(of: "("), let close = text.lastIndex(of: ")")
            else { return nil }
            name = String(text[text.index(after: open)..<close])
            // After the name: state (field 3), ppid (4), ... utime (14), stime (15), cutime (16), cstime (17).
            let fields = text[text.index(after: close)...].split(separator: " ")
            guard fields.count > 14, let parent = Int32(fields[1]), let user = Double(fields[11]), let system = Double(fields[12]),
                let childUser = Double(fields[13]), let childSystem = Double(fields[14])
            else { return nil }
            let ticks = Double(sysconf(Int32(_SC_CLK_TCK)))
            self.parent = parent
            ownSeconds = (user + system) / ticks
            reapedChildrenSeconds = (childUser + childSystem) / ticks
        }
    }
}
