import Foundation

/// Splits a migration file into statements: PostgresNIO speaks only the extended protocol, which
/// takes one statement at a time. Semicolons inside quotes, dollar-quoted bodies and comments
/// do not split.
enum SQLScript {
    static func statements(in script: String) -> [String] {
        var statements: [String] = []
        var current = ""
        var index = script.startIndex
        func peek(_ offset: Int = 0) -> Character? {
            script.index(index, offsetBy: offset, limitedBy: script.endIndex).flatMap { $0 < script.endIndex ? script[$0] : nil }
        }
        while index < script.endIndex {
            let character = script[index]
            if character == "-", peek(1) == "-" {
                // line comment: skip to the end of the line
                while index < script.endIndex, script[index] != "\n" { index = script.index(after: index) }
                continue
            }
            if character == "'" || character == "\"" {
                let end = script[script.index(after: index)...].firstIndex(of: character) ?? script.endIndex
                let stop = end < script.endIndex ? script.index(after: end) : end
                current += script[index..<stop]
                index = stop
                continue
            }
            if character == "$", let tagEnd = script[script.index(after: index)...].firstIndex(of: "$"),
                script[script.index(after: index)..<tagEnd].allSatisfy({ $0.isLetter || $0 == "_" })
            {
                let tag = String(script[index...tagEnd])
                let bodyStart = script.index(after: tagEnd)
                let close = script[bodyStart...].range(of: tag)?.upperBound ?? script.endIndex
                current += script[index..<close]
                index = close
                continue
            }
            if character == ";" {
                append(&current, to: &statements)
            } else {
                current.append(character)
            }
            index = script.index(after: index)
        }
        append(&current, to: &statements)
        return statements
    }

    private static func append(_ statement: inout String, to statements: inout [String]) {
        let trimmed = statement.trimmingCharacters(in: .whitespacesAndNewlines)
        if !trimmed.isEmpty { statements.append(trimmed) }
        statement = ""
    }
}
