import Foundation

/// Samples a process's resident memory and CPU time from /proc while a run goes on.
actor ProcessSampler {
    let pid: Int32
    private(set) var peakRSSKiB = 0
    private var startCPU: Double?
    private var startTime = Date()
    private var lastCPU: Double = 0
    private var lastTime = Date()

    init(pid: Int32) {
        self.pid = pid
    }

    /// The first process whose command name is `name` (e.g. `gateway`).
    static func pid(named name: String) -> Int32? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        for entry in entries {
            guard let pid = Int32(entry), let comm = try? String(contentsOfFile: "/proc/\(entry)/comm", encoding: .utf8) else { continue }
            if comm.trimmingCharacters(in: .whitespacesAndNewlines) == name { return pid }
        }
        return nil
    }

    func sample() {
        if let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kib = Int(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "")
        {
            peakRSSKiB = max(peakRSSKiB, kib)
        }
        if let cpu = ProcessStat(pid: pid)?.ownSeconds {
            if startCPU == nil { (startCPU, startTime) = (cpu, Date()) }
            (lastCPU, lastTime) = (cpu, Date())
        }
    }

    /// Starts the CPU window afresh (after setting up, before the measured part).
    func resetCPU() {
        startCPU = nil
        sample()
    }

    /// CPU used over the window, as a percentage of one core.
    var cpuPercent: Double {
        guard let startCPU, lastTime > startTime else { return 0 }
        return 100 * (lastCPU - startCPU) / lastTime.timeIntervalSince(startTime)
    }
}
