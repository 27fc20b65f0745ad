import Foundation
import MessageMarkup

// Renders messages of the largest size (10,000 characters) built to be the renderer's worst
// (the inputs that cost the regex renderer seconds, and a few more), RUNS times each in this
// process, and prints each input's median time, characters per second and the renderer's work
// per byte (bytes and pending delimiters it looked at).
//
//   .build/release/renderbench [RUNS]

let runs = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 50 : 50
let length = 10_000

/// `unit` repeated to `length` characters.
func repeated(_ unit: String) -> String {
    String(String(repeating: unit, count: length / unit.count + 1).prefix(length))
}

let inputs: [(name: String, text: String)] = [
    ("unclosed **", repeated("**a ")),
    ("unclosed ~~", repeated("~~a ")),
    ("[ repeated", repeated("[")),
    ("[a]( repeated", repeated("[a](")),
    ("openers, then closers", String(repeated("**a ").prefix(length / 2) + repeated(" a**").prefix(length / 2))),
    ("mixed, never closed", repeated("*_~~[`@h ")),
    ("one endless URL", repeated("https://")),
    ("@ repeated", repeated("@")),
    ("every construct", repeated("*a* _b_ **c** ~~d~~ `e` [f](https://g.io) https://h.io @ivan\n")),
    ("prose", repeated("The quick brown fox jumps over the lazy dog, then naps. ")),
]

let clock = ContinuousClock()
print("renderbench: \(runs) runs of each input, \(length) characters")
for (name, text) in inputs {
    var durations: [Duration] = []
    var work = 0
    for _ in 0..<runs {
        var rendered: RenderedMarkdown?
        durations.append(clock.measure { rendered = MarkdownRenderer.render(text) })
        work = rendered?.work ?? 0
    }
    let median = durations.sorted()[runs / 2]
    let seconds = Double(median.components.seconds) + Double(median.components.attoseconds) / 1e18
    let figures = String(
        format: "median %8.3f ms  %6.1f M characters/s  work %.1f per byte", seconds * 1000, Double(text.count) / seconds / 1e6,
        Double(work) / Double(text.utf8.count))
    print(name.padding(toLength: 24, withPad: " ", startingAt: 0) + figures)
}
