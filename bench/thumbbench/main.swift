import CVipsShim
import Foundation

// Thumbnails one image the way media does (the same C shim call: 320 px, WebP, upright, no
// metadata) RUNS times in this process and prints the median and the process's peak RSS.
//
//   .build/release/thumbbench photo.jpg [runs]

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: thumbbench IMAGE [RUNS]\n".utf8))
    exit(2)
}
let path = arguments[1]
let runs = arguments.count > 2 ? Int(arguments[2]) ?? 15 : 15
guard parley_vips_start(arguments[0]) == 0 else { fatalError("libvips did not start") }

var milliseconds: [Double] = []
for _ in 0..<runs {
    var buffer: UnsafeMutableRawPointer?
    var length = 0
    var width: Int32 = 0
    var height: Int32 = 0
    var error = [CChar](repeating: 0, count: 512)
    let start = DispatchTime.now().uptimeNanoseconds
    guard parley_vips_thumbnail(path, 320, 80, &buffer, &length, &width, &height, &error, error.count) == 0 else {
        fatalError("thumbnail failed: \(String(cString: error))")
    }
    milliseconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1_000_000)
    parley_vips_free(buffer)
}
let sorted = milliseconds.sorted()
let peak = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8))?
    .split(separator: "\n").first { $0.hasPrefix("VmHWM") }?.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "?"
print(String(format: "thumbbench: %d runs, median %.1f ms, min %.1f ms, peak RSS %@ kB", runs, sorted[sorted.count / 2], sorted[0], String(peak)))
