import Foundation

/// The fields of `/proc/<pid>/stat` the samplers read: a process's name, parent and CPU time.
struct ProcessStat {
    let name: String
    let parent: Int32
    /// User and system CPU seconds of the process itself.
    let ownSeconds: Double
    /// CPU seconds of its children that have exited and been waited for.
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
