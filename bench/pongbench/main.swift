// Pong's server loop measured (bench/README.md): the CPU one match's tick costs, and whether the
// 60 Hz schedule holds with many matches at once. Both players follow the ball (with a dead
// zone, so rallies are long and points still fall).
//
//   .build/release/pongbench [matches] [seconds]     (default 100 matches for 10 s)
import Foundation
import GamesService
import PongRules
import ServiceKit

/// What a player who follows the ball presses.
func follow(_ match: PongMatch, _ side: PongSide) -> PaddleInput {
    let paddle = match.paddleY[side]
    if match.ball.y < paddle - 20 { return .up }
    if match.ball.y > paddle + 20 { return .down }
    return .none
}

func step(_ match: inout PongMatch, seed: UInt64) {
    if match.isOver { match = PongMatch(seed: seed) }
    match.step(left: follow(match, .left), right: follow(match, .right))
}

/// CPU time of this thread, in seconds.
func threadCPU() -> Double {
    var time = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &time)
    return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
}

/// CPU time (user and system) of this process, in seconds.
func processCPU() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ value: timeval) -> Double { Double(value.tv_sec) + Double(value.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

func percentile(_ sorted: [Double], _ fraction: Double) -> Double {
    sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * fraction))]
}

let arguments = CommandLine.arguments.dropFirst().compactMap { Int($0) }
let matchCount = arguments.first ?? 100
let seconds = arguments.dropFirst().first ?? 10

// 1. The step alone: one thread, matches stepped back to back.
var matches = (0..<matchCount).map { PongMatch(seed: UInt64($0)) }
let steps = 1_000_000
let before = threadCPU()
for index in 0..<steps { step(&matches[index % matchCount], seed: UInt64(index)) }
let perStep = (threadCPU() - before) / Double(steps)
print(String(format: "one step of one match: %.2f µs of CPU (%d steps back to back)", perStep * 1e6, steps))

// 2. The loop: every match on its own 60 Hz schedule on the system clock, all at once.
let cpuBefore = processCPU()
let started = Date()
let sorted = try await withThrowingTaskGroup(of: [Double].self) { group in
    for index in 0..<matchCount {
        group.addTask {
            var match = PongMatch(seed: UInt64(index))
            var late: [Double] = []
            late.reserveCapacity(seconds * 60)
            try await runFixedTicks(clock: .system, ticksPerSecond: 60) { tick in
                late.append(tick.lateness)
                step(&match, seed: UInt64(tick.number))
                return tick.number < seconds * 60
            }
            return late
        }
    }
    var all: [Double] = []
    for try await late in group { all += late }
    return all.sorted()
}
let wall = Date().timeIntervalSince(started)
let cpu = processCPU() - cpuBefore
print(String(format: "%d matches at 60 Hz for %d s (%.1f s wall): %d ticks, %.1f ticks/s", matchCount, seconds, wall, sorted.count, Double(sorted.count) / wall))
print(String(format: "tick lateness: p50 %.2f ms, p99 %.2f ms, max %.2f ms", percentile(sorted, 0.5) * 1e3, percentile(sorted, 0.99) * 1e3, (sorted.last ?? 0) * 1e3))
print(String(format: "CPU per tick per match, loop included: %.1f µs (process CPU %.2f s, %.0f%% of one core)", cpu / Double(sorted.count) * 1e6, cpu, cpu / wall * 100))
