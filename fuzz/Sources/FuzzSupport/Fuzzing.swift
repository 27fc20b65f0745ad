#if canImport(Glibc)
import Glibc
#endif

/// What every fuzz target's `main.swift` calls: hands the process to libFuzzer, which then calls
/// `body` with each input it generates (and its arguments: `-max_total_time`, `-timeout`, a
/// corpus folder, ...). A trap, a crash, a leak or an input slower than `-timeout` seconds stops
/// the run and saves the input.
public func fuzz(_ body: @escaping (UnsafeRawBufferPointer) -> Void) -> Never {
    target = body
    var argc = CommandLine.argc
    var argv = CommandLine.unsafeArgv
    exit(runFuzzerDriver(&argc, &argv, fuzzOneInput))
}

nonisolated(unsafe) private var target: ((UnsafeRawBufferPointer) -> Void)?

/// libFuzzer's entry point for one input. SwiftPM gives each executable its own `main`, so
/// libFuzzer's `main` is not used: `fuzz` calls its driver instead, and the driver calls this.
@_cdecl("LLVMFuzzerTestOneInput")
func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ count: Int) -> CInt {
    target?(UnsafeRawBufferPointer(start: data, count: count))
    return 0
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(
    _ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt
